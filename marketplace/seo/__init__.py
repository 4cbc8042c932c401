"""What search engines read: `/sitemap.xml` (public pages and published items) and `/robots.txt`."""
