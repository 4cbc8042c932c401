"""A readable diff between two revisions of the same sheet, as an escaped HTML table."""
from __future__ import annotations

import difflib

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from marketplace.models.practices import CONTENT_FIELDS
from marketplace.core.taxonomy import DOMAINS, label

FIELD_LABELS = {
    "title": _l("Titre"),
    "summary": _l("Résumé"),
    "problem": _l("Problème résolu"),
    "actions": _l("Ce qui a été fait"),
    "results": _l("Résultats"),
    "costs": _l("Coûts"),
    "days": _l("Jours consacrés"),
    "contacts": _l("Contacts"),
    "domain": _l("Domaine"),
    "tags": _l("Mots-clés"),
    "collectivity_id": _l("Collectivité"),
    "removed_attachments": _l("Ressources retirées"),
}


def _lines(name: str, value) -> list[str]:
    if value is None or value == "" or value == []:
        return []
    if name == "tags":
        return [", ".join(value)]
    if name == "domain":
        return [str(label(DOMAINS, value))]
    return str(value).splitlines() or [""]


def _resource_lines(ids, titles: dict) -> list[str]:
    return sorted(str(titles.get(i, "#%s" % i)) for i in (ids or ()))


def field_changes(old: dict, new: dict, resources: dict | None = None) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Per changed field, rows of (kind, old line, new line); kind is equal/delete/insert/replace.

    With `resources` (attachment id -> title), the withdrawn resources recorded by each revision
    are compared too, so that a withdrawal or its revert shows in the diff.
    """
    changes = []
    names = CONTENT_FIELDS + (("removed_attachments",) if resources is not None else ())
    for name in names:
        if name == "removed_attachments":
            a, b = _resource_lines(old.get(name), resources), _resource_lines(new.get(name), resources)
        else:
            a, b = _lines(name, old.get(name)), _lines(name, new.get(name))
        if a == b:
            continue
        rows = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                rows.append((tag, left[k] if k < len(left) else "", right[k] if k < len(right) else ""))
        changes.append((name, rows))
    return changes


def _cell(text: str, css: str, element: str) -> Markup:
    # <del>/<ins> say what changed to screen readers and without colours too.
    if css and text:
        return Markup('<td class="%s"><%s>%s</%s></td>') % (css, Markup(element), text, Markup(element))
    return Markup("<td>%s</td>") % text


def diff_table(old: dict, new: dict, old_title: str, new_title: str, resources: dict | None = None) -> Markup:
    """The changed fields side by side; every value is escaped, classes follow DSFR colours."""
    changes = field_changes(old, new, resources)
    if not changes:
        return Markup('<p class="fr-text--sm">%s</p>') % _l("Aucune différence entre ces versions.")
    classes = {"delete": ("essaim-diff__del", ""), "insert": ("", "essaim-diff__add"),
               "replace": ("essaim-diff__del", "essaim-diff__add"), "equal": ("", "")}
    out = [Markup('<div class="fr-table fr-table--bordered essaim-diff"><table><caption>%s</caption>')
           % _l("Différences entre les versions"),
           Markup('<thead><tr><th scope="col">%s</th><th scope="col">%s</th><th scope="col">%s</th>'
                  '</tr></thead><tbody>') % (_l("Champ"), old_title, new_title)]
    for name, rows in changes:
        for index, (tag, left, right) in enumerate(rows):
            head = (Markup('<th scope="row" rowspan="%d">%s</th>') % (len(rows), FIELD_LABELS[name])
                    if index == 0 else Markup(""))
            css_left, css_right = classes[tag]
            out.append(Markup("<tr>%s%s%s</tr>") % (head, _cell(left, css_left, "del"),
                                                     _cell(right, css_right, "ins")))
    out.append(Markup("</tbody></table></div>"))
    return Markup("").join(out)
