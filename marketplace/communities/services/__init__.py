"""The communities' use cases: access, spaces and members, discussion, moderation, resources,
meetings and search."""
