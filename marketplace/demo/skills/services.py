"""Skills of the services to the population: food, culture, social, education, economy."""
from marketplace.demo.skills import DomainSkills, Family

DOMAINS = {
    "alimentation_durable": DomainSkills(
        jobs=("Chargé·e de mission alimentation", "Responsable de la restauration collective",
              "Animateur·rice du projet alimentaire territorial"),
        families=(
            Family(
                ("Mise en place d'un projet alimentaire territorial (PAT) et approvisionnement local "
                 "en restauration collective",
                 "Animation d'un PAT et structuration des filières locales"),
                ("Lancer notre projet alimentaire territorial",
                 "Développer l'approvisionnement local de la cuisine centrale"),
                ("PAT", "restauration collective", "circuits courts", "agriculture"),
                "J'anime un PAT labellisé et j'ai mis en relation la cuisine centrale avec une "
                "quarantaine de producteurs.",
                "Les producteurs locaux peinent à répondre à nos marchés de restauration.",
            ),
            Family(
                ("Application de la loi EGalim en restauration scolaire",
                 "Menus, produits durables et lutte contre le gaspillage"),
                ("Atteindre les objectifs EGalim dans nos cantines",
                 "Diagnostic du gaspillage alimentaire dans les restaurants scolaires"),
                ("EGalim", "cantine", "gaspillage alimentaire", "bio"),
                "Je suis les taux de produits durables et bio sur ma cantine et j'ai réduit le "
                "gaspillage de moitié.",
                "Nous sommes loin des 50 % de produits durables prévus par la loi.",
            ),
            Family(
                ("Installation agricole et préservation du foncier agricole",
                 "Espace test agricole et régie maraîchère"),
                ("Créer une régie maraîchère municipale", "Favoriser l'installation de maraîchers"),
                ("foncier agricole", "installation", "régie agricole"),
                "J'ai accompagné la création d'une régie maraîchère qui fournit les écoles.",
                "La commune dispose de terres et souhaite y installer un maraîcher.",
            ),
        ),
    ),
    "culture": DomainSkills(
        jobs=("Directeur·rice des affaires culturelles", "Responsable de médiathèque",
              "Chargé·e de mission patrimoine"),
        families=(
            Family(
                ("Réseau de lecture publique et médiathèque tiers-lieu",
                 "Projet scientifique, culturel et social de médiathèque"),
                ("Structurer un réseau intercommunal de lecture publique",
                 "Rédiger le projet de notre future médiathèque"),
                ("lecture publique", "médiathèque", "tiers-lieu"),
                "J'ai conduit la mise en réseau de douze bibliothèques et l'extension des horaires.",
                "Nos bibliothèques fonctionnent avec des bénévoles et sans catalogue commun.",
            ),
            Family(
                ("Valorisation du patrimoine et label Ville ou Pays d'art et d'histoire",
                 "Restauration de patrimoine protégé et dossiers DRAC"),
                ("Candidature au label Pays d'art et d'histoire",
                 "Restauration de l'église classée monument historique"),
                ("patrimoine", "monuments historiques", "DRAC"),
                "J'ai suivi la restauration de monuments protégés avec la DRAC et l'architecte en "
                "chef.",
                "Le clocher présente des désordres et nous ne connaissons pas les démarches.",
            ),
            Family(
                ("Éducation artistique et culturelle (EAC) et résidences d'artistes",
                 "Montage d'un contrat territorial d'éducation artistique"),
                ("Construire un parcours d'éducation artistique et culturelle",
                 "Accueillir une résidence d'artiste"),
                ("EAC", "résidence", "action culturelle"),
                "J'ai monté un contrat territorial d'éducation artistique avec l'Éducation "
                "nationale et la DRAC.",
                "Les écoles du territoire ont peu accès aux propositions culturelles.",
            ),
        ),
    ),
    "social": DomainSkills(
        jobs=("Directeur·rice de CCAS", "Conseiller·ère en économie sociale et familiale",
              "Chargé·e de mission politique de la ville"),
        families=(
            Family(
                ("Analyse des besoins sociaux (ABS)", "Observatoire social et diagnostic territorial"),
                ("Réaliser l'analyse des besoins sociaux du CCAS",
                 "Diagnostic social en début de mandat"),
                ("ABS", "CCAS", "diagnostic social"),
                "J'ai réalisé l'analyse des besoins sociaux de deux CCAS avec les partenaires.",
                "L'analyse des besoins sociaux obligatoire n'a jamais été faite.",
            ),
            Family(
                ("France services et accès aux droits", "Ouverture d'un espace France services"),
                ("Ouvrir un espace France services", "Organiser l'accès aux droits en milieu rural"),
                ("France services", "accès aux droits", "inclusion numérique"),
                "J'ai ouvert et fait labelliser un espace France services en zone rurale.",
                "Les habitants doivent faire 40 km pour une démarche administrative.",
            ),
            Family(
                ("Convention territoriale globale avec la CAF",
                 "Coordination des politiques petite enfance et jeunesse avec la CAF"),
                ("Préparer notre convention territoriale globale", "Renouveler la CTG avec la CAF"),
                ("CTG", "CAF", "petite enfance"),
                "J'ai coordonné la convention territoriale globale d'une intercommunalité.",
                "La CTG arrive à échéance et le diagnostic partagé est à refaire.",
            ),
        ),
    ),
    "education": DomainSkills(
        jobs=("Responsable du service enfance-jeunesse", "Coordinateur·rice du projet éducatif",
              "Directeur·rice de l'éducation"),
        families=(
            Family(
                ("Projet éducatif de territoire (PEDT) et plan mercredi",
                 "Organisation des temps périscolaires"),
                ("Renouveler notre PEDT", "Réorganiser l'accueil périscolaire"),
                ("PEDT", "périscolaire", "plan mercredi"),
                "J'ai rédigé deux PEDT et organisé les accueils du mercredi avec les associations.",
                "Notre PEDT a expiré et l'accueil du mercredi manque d'animateurs.",
            ),
            Family(
                ("Sectorisation scolaire et prospective des effectifs",
                 "Programmation des équipements scolaires"),
                ("Revoir la carte scolaire de la commune", "Prévoir l'évolution des effectifs scolaires"),
                ("carte scolaire", "effectifs", "écoles"),
                "Je tiens la prospective des effectifs et j'ai conduit une révision de la carte "
                "scolaire.",
                "De nouveaux lotissements vont saturer une école et en vider une autre.",
            ),
            Family(
                ("Conseil municipal des jeunes et participation", "Politique jeunesse intercommunale"),
                ("Créer un conseil municipal des jeunes", "Diagnostic des besoins des 11-25 ans"),
                ("jeunesse", "participation", "citoyenneté"),
                "J'anime un conseil municipal des jeunes et une démarche de budget participatif.",
                "Les jeunes du territoire sont peu présents dans nos dispositifs.",
            ),
        ),
    ),
    "developpement_economique": DomainSkills(
        jobs=("Chargé·e de développement économique", "Manager de commerce",
              "Responsable de l'attractivité"),
        families=(
            Family(
                ("Redynamisation commerciale et management de centre-ville",
                 "Animation d'un plan de soutien au commerce de proximité"),
                ("Plan d'actions pour le commerce de centre-ville",
                 "Étude de préemption des fonds de commerce"),
                ("commerce", "centre-ville", "manager de commerce"),
                "Je suis manager de commerce depuis six ans : boutiques à l'essai, vitrines, "
                "droit de préemption commercial.",
                "Le taux de vacance commerciale a atteint 15 % dans la rue principale.",
            ),
            Family(
                ("Commercialisation et requalification de zones d'activités",
                 "Gestion des zones d'activités économiques intercommunales"),
                ("Inventaire de nos zones d'activités économiques",
                 "Requalification d'une zone d'activités vieillissante"),
                ("zones d'activités", "foncier économique", "inventaire ZAE"),
                "J'ai réalisé l'inventaire des zones d'activités imposé par la loi Climat et "
                "résilience.",
                "L'inventaire des zones d'activités doit être produit et nous manquons de données.",
            ),
            Family(
                ("Tourisme et stratégie d'attractivité du territoire",
                 "Marque territoriale et accueil de nouveaux habitants"),
                ("Définir une stratégie touristique intercommunale",
                 "Accueillir de nouveaux actifs et médecins"),
                ("tourisme", "attractivité", "marketing territorial"),
                "J'ai construit une stratégie d'attractivité et un dispositif d'accueil de "
                "nouveaux actifs.",
                "Nous peinons à attirer des professionnels de santé et des actifs.",
            ),
        ),
    ),
}
