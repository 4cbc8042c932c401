"""Skills of the services to the population: food, culture, social, education, economy."""
from marketplace.demo.skills import C, D, E, R, S, DomainSkills, Family

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
                ("J'anime un PAT labellisé et j'ai mis en relation la cuisine centrale avec une "
                 "quarantaine de producteurs.",
                 "On a monté notre PAT en deux ans avec la chambre d'agriculture et une légumerie."),
                ("Les producteurs locaux peinent à répondre à nos marchés de restauration.",
                 ((E,), "On monte notre PAT et les élus veulent des actions concrètes dès cette "
                  "année."),
                 ((D,), "Les cuisines de nos collèges achètent peu aux producteurs du territoire."),
                 ((R,), "Les cuisines de nos lycées achètent peu aux producteurs du territoire.")),
                kinds=(C, E, D, R), jobs=(0, 2),
            ),
            Family(
                ("Application de la loi EGalim en restauration scolaire",
                 "Menus, produits durables et lutte contre le gaspillage"),
                ("Atteindre les objectifs EGalim dans nos cantines",
                 "Diagnostic du gaspillage alimentaire dans les restaurants scolaires"),
                ("EGalim", "cantine", "gaspillage alimentaire", "bio"),
                ("Je suis les taux de produits durables et bio sur ma cantine et j'ai réduit le "
                 "gaspillage de moitié.",
                 "Je compose les menus avec la diététicienne et je pèse les restes chaque semaine."),
                ("Nous sommes loin des 50 % de produits durables prévus par la loi.",
                 ((E,), "Notre cuisine centrale intercommunale livre les cantines de seize "
                  "communes.")),
                kinds=(C, E), jobs=(0, 1),
            ),
            Family(
                ("Installation agricole et préservation du foncier agricole",
                 "Espace test agricole et régie maraîchère"),
                (((C,), "Créer une régie maraîchère municipale"), "Favoriser l'installation de maraîchers"),
                ("foncier agricole", "installation", "régie agricole"),
                ("J'ai accompagné la création d'une régie maraîchère qui fournit les écoles.",
                 "J'ai mis en place un espace test agricole avec la SAFER et le réseau des "
                 "couveuses."),
                ("La collectivité dispose de terres et souhaite y installer un maraîcher.",
                 "Trois exploitations cherchent un repreneur sans le trouver."),
                kinds=(C, E), jobs=(0, 2),
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
                (((E, D), "Structurer un réseau intercommunal de lecture publique"),
                 ((C,), "Rédiger le projet de notre future médiathèque")),
                ("lecture publique", "médiathèque", "tiers-lieu"),
                ("J'ai conduit la mise en réseau de douze bibliothèques et l'extension des horaires.",
                 "J'ai écrit le PSCS d'une médiathèque tiers-lieu, de la concertation au plan "
                 "d'équipement."),
                (((E, D), "Nos bibliothèques fonctionnent avec des bénévoles et sans catalogue "
                  "commun."),
                 ((C,), "La future médiathèque est financée mais son projet reste à écrire.")),
                kinds=(C, E, D), jobs=(0, 1),
            ),
            Family(
                ("Valorisation du patrimoine et label Ville ou Pays d'art et d'histoire",
                 "Restauration de patrimoine protégé et dossiers DRAC"),
                ("Candidature au label Pays d'art et d'histoire",
                 ((C,), "Restauration de l'église classée monument historique")),
                ("patrimoine", "monuments historiques", "DRAC"),
                ("J'ai suivi la restauration de monuments protégés avec la DRAC et l'architecte en "
                 "chef.",
                 "J'ai porté la candidature au label Pays d'art et d'histoire jusqu'à la "
                 "convention."),
                (((C,), "Le clocher présente des désordres et nous ne connaissons pas les "
                  "démarches."),
                 "Notre patrimoine est riche mais personne ne le fait découvrir."),
                kinds=(C, E, D, R, S), jobs=(0, 2),
            ),
            Family(
                ("Éducation artistique et culturelle (EAC) et résidences d'artistes",
                 "Montage d'un contrat territorial d'éducation artistique"),
                ("Construire un parcours d'éducation artistique et culturelle",
                 "Accueillir une résidence d'artiste"),
                ("EAC", "résidence", "action culturelle"),
                ("J'ai monté un contrat territorial d'éducation artistique avec l'Éducation "
                 "nationale et la DRAC.",
                 "J'accueille deux résidences d'artistes par an dans les établissements du "
                 "territoire."),
                (((C, E), "Les écoles du territoire ont peu accès aux propositions culturelles."),
                 ((R,), "Nos lycées professionnels ont peu accès aux propositions culturelles."),
                 ((D,), "Nos collèges ruraux ont peu accès aux propositions culturelles.")),
                kinds=(C, E, D, R), jobs=(0,),
            ),
        ),
    ),
    "social": DomainSkills(
        jobs=("Directeur·rice de CCAS", "Conseiller·ère en économie sociale et familiale",
              "Chargé·e de mission politique de la ville", "Responsable de l'action sociale "
              "territoriale"),
        families=(
            Family(
                ("Analyse des besoins sociaux (ABS)", "Observatoire social et diagnostic territorial"),
                ("Réaliser l'analyse des besoins sociaux du CCAS",
                 "Diagnostic social en début de mandat"),
                ("ABS", "CCAS", "diagnostic social"),
                ("J'ai réalisé l'analyse des besoins sociaux de deux CCAS avec les partenaires.",
                 "Je tiens un observatoire social avec des indicateurs par quartier."),
                ("L'analyse des besoins sociaux obligatoire n'a jamais été faite.",
                 ((E,), "Le CIAS reprend l'action sociale de plusieurs CCAS et n'a pas de "
                  "diagnostic commun.")),
                kinds=(C, E), jobs=(0, 1),
            ),
            Family(
                ("France services et accès aux droits", "Ouverture d'un espace France services"),
                ("Ouvrir un espace France services", "Organiser l'accès aux droits en milieu rural"),
                ("France services", "accès aux droits", "inclusion numérique"),
                ("J'ai ouvert et fait labelliser un espace France services en zone rurale.",
                 "J'encadre deux conseillers numériques et les permanences des partenaires."),
                ("Les habitants doivent faire 40 km pour une démarche administrative.",
                 "Beaucoup de retraités n'arrivent plus à faire leurs démarches en ligne."),
                kinds=(C, E), jobs=(0, 1),
            ),
            Family(
                ("Convention territoriale globale avec la CAF",
                 "Coordination des politiques petite enfance et jeunesse avec la CAF"),
                ("Préparer notre convention territoriale globale", "Renouveler la CTG avec la CAF"),
                ("CTG", "CAF", "petite enfance"),
                ("J'ai coordonné la convention territoriale globale d'une intercommunalité.",
                 "J'anime le comité de pilotage de la CTG avec la CAF et les communes."),
                ("La CTG arrive à échéance et le diagnostic partagé est à refaire.",
                 "Les places en crèche manquent et la CAF nous demande un plan d'actions."),
                kinds=(C, E), jobs=(0, 2),
            ),
            Family(
                ("Insertion des allocataires du RSA et référents de parcours",
                 "Organisation de l'accompagnement social départemental"),
                ("Réorganiser l'accompagnement des bénéficiaires du RSA",
                 "Plan départemental d'insertion : bilan et nouvelle version"),
                ("RSA", "insertion", "action sociale"),
                ("J'ai réorganisé l'accompagnement des allocataires du RSA entre les maisons "
                 "départementales des solidarités.",
                 "Je pilote le programme départemental d'insertion et le pacte territorial."),
                ("Les délais d'orientation des allocataires du RSA dépassent trois mois.",
                 "Nos maisons des solidarités n'ont pas la même organisation d'un territoire "
                 "à l'autre."),
                kinds=(D, S), jobs=(3,),
            ),
        ),
    ),
    "education": DomainSkills(
        jobs=("Responsable du service enfance-jeunesse", "Coordinateur·rice du projet éducatif",
              "Directeur·rice de l'éducation", "Responsable du patrimoine des lycées"),
        families=(
            Family(
                ("Projet éducatif de territoire (PEDT) et plan mercredi",
                 "Organisation des temps périscolaires"),
                ("Renouveler notre PEDT", "Réorganiser l'accueil périscolaire"),
                ("PEDT", "périscolaire", "plan mercredi"),
                ("J'ai rédigé deux PEDT et organisé les accueils du mercredi avec les associations.",
                 "Je coordonne les animateurs périscolaires de neuf écoles."),
                ("Notre PEDT a expiré et l'accueil du mercredi manque d'animateurs.",
                 "La garderie du matin déborde et les animateurs sont épuisés."),
                kinds=(C, E), jobs=(0, 1),
            ),
            Family(
                ("Sectorisation scolaire et prospective des effectifs",
                 "Programmation des équipements scolaires"),
                (((C,), "Revoir la carte scolaire de la commune"),
                 "Prévoir l'évolution des effectifs scolaires"),
                ("carte scolaire", "effectifs", "écoles"),
                ("Je tiens la prospective des effectifs et j'ai conduit une révision de la carte "
                 "scolaire.",
                 "J'ai programmé de nouveaux établissements scolaires à partir des permis de "
                 "construire déposés."),
                ("De nouveaux lotissements vont saturer une école et en vider une autre.",
                 ((D,), "La sectorisation des collèges doit être revue avec la hausse des "
                  "effectifs.")),
                kinds=(C, D), jobs=(2,),
            ),
            Family(
                ("Conseil municipal des jeunes et participation", "Politique jeunesse intercommunale"),
                (((C,), "Créer un conseil municipal des jeunes"), "Diagnostic des besoins des 11-25 ans"),
                ("jeunesse", "participation", "citoyenneté"),
                ("J'anime un conseil municipal des jeunes et une démarche de budget participatif.",
                 "J'ai mené un diagnostic jeunesse par questionnaire et balades urbaines."),
                ("Les jeunes du territoire sont peu présents dans nos dispositifs.",
                 ((E,), "Les ados traînent à l'arrêt de car faute de lieu pour eux.")),
                kinds=(C, E), jobs=(0,),
            ),
            Family(
                ("Programmation des travaux dans les lycées",
                 "Plan pluriannuel d'investissement des lycées et maintenance"),
                ("Prioriser les travaux de nos lycées", "Schéma directeur immobilier des lycées"),
                ("lycées", "patrimoine bâti", "programmation", "FEDER"),
                ("J'ai construit le plan pluriannuel des travaux dans 60 lycées, avec les "
                 "proviseurs et les agents de maintenance.",
                 "J'ai mobilisé le FEDER pour la rénovation énergétique de trois lycées."),
                ("Nos lycées ont des besoins de travaux supérieurs à trois fois le budget annuel.",
                 "Le FEDER pourrait financer la rénovation des lycées mais le dossier est lourd."),
                kinds=(R, S), jobs=(3,),
            ),
        ),
    ),
    "developpement_economique": DomainSkills(
        jobs=("Chargé·e de développement économique", "Manager de commerce",
              "Responsable de l'attractivité", "Chargé·e de mission fonds européens"),
        families=(
            Family(
                ("Redynamisation commerciale et management de centre-ville",
                 "Animation d'un plan de soutien au commerce de proximité"),
                ("Plan d'actions pour le commerce de centre-ville",
                 "Étude de préemption des fonds de commerce"),
                ("commerce", "centre-ville", "manager de commerce"),
                ("Je suis manager de commerce depuis six ans : boutiques à l'essai, vitrines, "
                 "droit de préemption commercial.",
                 "J'anime l'union des commerçants et le marché du samedi."),
                ("Le taux de vacance commerciale a atteint 15 % dans la rue principale.",
                 "Deux commerces de bouche ferment et la rue se vide le soir."),
                kinds=(C,), jobs=(1,),
            ),
            Family(
                ("Commercialisation et requalification de zones d'activités",
                 "Gestion des zones d'activités économiques intercommunales"),
                ("Inventaire de nos zones d'activités économiques",
                 "Requalification d'une zone d'activités vieillissante"),
                ("zones d'activités", "foncier économique", "inventaire ZAE"),
                ("J'ai réalisé l'inventaire des zones d'activités imposé par la loi Climat et "
                 "résilience.",
                 "Je commercialise les lots de trois parcs d'activités et je suis les "
                 "entreprises installées."),
                ("L'inventaire des zones d'activités doit être produit et nous manquons de données.",
                 "La compétence économique est intercommunale mais les communes gardent la main "
                 "sur le foncier."),
                kinds=(E,), jobs=(0,),
            ),
            Family(
                ("Tourisme et stratégie d'attractivité du territoire",
                 "Marque territoriale et accueil de nouveaux habitants"),
                ("Définir une stratégie touristique", "Accueillir de nouveaux actifs et médecins"),
                ("tourisme", "attractivité", "marketing territorial"),
                ("J'ai construit une stratégie d'attractivité et un dispositif d'accueil de "
                 "nouveaux actifs.",
                 "J'ai lancé la marque du territoire avec les entreprises ambassadrices.",
                 "J'organise l'accueil des nouveaux arrivants et l'aide à l'emploi du conjoint."),
                ("Nous peinons à attirer des professionnels de santé et des actifs.",
                 ((D, R), "Notre schéma de développement touristique arrive à échéance.")),
                kinds=(C, E, D, R), jobs=(0, 2),
            ),
            Family(
                ("Montage de dossiers FEDER et LEADER",
                 "Gestion des fonds européens pour les projets locaux"),
                ("Mobiliser le FEDER pour notre projet", "Préparer notre candidature LEADER"),
                ("FEDER", "LEADER", "fonds européens"),
                ("J'ai instruit des dossiers FEDER et j'aide les porteurs de projet à les monter.",
                 "J'ai animé un programme LEADER et son comité de programmation."),
                ("Nous ne savons pas si notre projet est éligible au FEDER.",
                 ((E,), "Le GAL doit préparer la nouvelle candidature LEADER.")),
                kinds=(E, R, S), jobs=(3,),
            ),
        ),
    ),
}
