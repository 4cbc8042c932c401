"""Names and demo accounts. Every demo address uses a domain reserved to the demo."""
from __future__ import annotations

from typing import NamedTuple

DEMO_DOMAIN = "demo.essaim.fr"
# Shared by every demo account; printed by `flask seed-demo` and listed in README. Demo only:
# ProductionConfig sets DEMO_ENABLED = False and the command refuses to run there.
DEMO_PASSWORD = "essaim-demo-2026"


class DemoAccount(NamedTuple):
    role: str  # key of taxonomy.ROLES
    label: str  # what README and the command print
    email: str
    display_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("agent", "Agent territorial", f"agent@{DEMO_DOMAIN}", "Camille Le Gall"),
    DemoAccount("representative", "Référent de la collectivité", f"referent@{DEMO_DOMAIN}",
                "Yannick Guého"),
    DemoAccount("approver", "Autorité territoriale d'origine (employeur)",
                f"employeur@{DEMO_DOMAIN}", "Anne-Sophie Morvan"),
    DemoAccount("coordinator", "Coordinateur territorial", f"coordinateur@{DEMO_DOMAIN}",
                "Olivier Tanguy"),
    DemoAccount("admin", "Administrateur", f"admin@{DEMO_DOMAIN}", "Nadia Benali"),
)

# Where the demo accounts sit: the agent and the employer in Rennes, the referent in another
# collectivity (an agglomeration of the same région), the coordinator over Bretagne.
AGENT_HOME = ("commune", "35238")
REFERENT_HOME = ("epci", "243500741")
APPROVER_DAY_BUDGET = 20
COORDINATOR_SCOPE = {"regions": ["53"], "departements": ["35", "29", "22", "56"]}

FIRST_NAMES = (
    "Camille", "Julien", "Sophie", "Nicolas", "Claire", "Thomas", "Émilie", "Mathieu", "Aurélie",
    "Sébastien", "Julie", "Guillaume", "Céline", "Antoine", "Marion", "Pierre", "Élodie", "Romain",
    "Laure", "Vincent", "Hélène", "François", "Nathalie", "Olivier", "Sandrine", "Maxime", "Karine",
    "Benoît", "Isabelle", "Damien", "Amandine", "Fabien", "Caroline", "Jérôme", "Virginie",
    "Yannick", "Gwenaëlle", "Loïc", "Maëlle", "Erwan", "Nadia", "Karim", "Samia", "Mehdi", "Inès",
    "Rachid", "Fatou", "Jean-Marc", "Marie-Laure", "Anne-Cécile", "Paul", "Léa", "Hugo", "Chloé",
    "Bastien", "Pauline", "Cédric", "Agnès", "Baptiste", "Manon", "Xavier", "Delphine", "Arnaud",
    "Sylvie", "Lucas", "Morgane", "Thibault", "Estelle", "Grégory", "Christelle",
)

# First names read as feminine: the agent's job title is then written in the feminine
# ("Directrice des finances"), otherwise in the masculine.
FEMININE_NAMES = frozenset((
    "Sophie", "Claire", "Émilie", "Aurélie", "Julie", "Céline", "Marion", "Élodie", "Laure",
    "Hélène", "Nathalie", "Sandrine", "Karine", "Isabelle", "Amandine", "Caroline", "Virginie",
    "Gwenaëlle", "Maëlle", "Nadia", "Samia", "Inès", "Fatou", "Marie-Laure", "Anne-Cécile", "Léa",
    "Chloé", "Pauline", "Agnès", "Manon", "Delphine", "Sylvie", "Morgane", "Estelle", "Christelle",
    "Camille",
))

LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller",
    "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont",
    "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Le Goff", "Le Gall", "Kerbrat", "Tanguy",
    "Guillou", "Bourdon", "Haddad", "Benali", "Mansouri", "Diallo", "Nguyen", "Schmitt", "Meyer",
    "Weber", "Fabre", "Lacoste", "Etcheverry", "Casanova", "Santoni", "Delattre", "Vasseur",
)
