"""Skills about the territory itself: planning, networks, roads, environment, energy."""
from marketplace.demo.skills import DomainSkills, Family

DOMAINS = {
    "urbanisme": DomainSkills(
        jobs=("Instructeur·rice des autorisations du droit des sols", "Responsable du service urbanisme",
              "Chargé·e de mission planification"),
        families=(
            Family(
                ("Instruction des autorisations d'urbanisme (PC, DP) et accompagnement PLUi",
                 "Instruction ADS et conseil aux pétitionnaires"),
                ("Renfort pour l'instruction des permis de construire",
                 "Appui temporaire au service ADS pendant une vacance de poste"),
                ("ADS", "permis de construire", "PLUi", "déclaration préalable"),
                "Je maîtrise l'instruction des PC, PA et DP, la consultation des services et la "
                "rédaction des arrêtés, y compris sur les dossiers sensibles en secteur protégé.",
                "Le stock de dossiers en attente dépasse les délais d'instruction réglementaires.",
            ),
            Family(
                ("Modification et révision de PLU, concertation",
                 "Pilotage d'une procédure de modification simplifiée de PLU"),
                ("Accompagnement à la modification de notre PLU",
                 "Cadrage d'une révision allégée du PLU"),
                ("PLU", "concertation", "OAP", "enquête publique"),
                "J'ai piloté plusieurs procédures de modification et de révision : cahier des "
                "charges du bureau d'études, OAP, enquête publique et délibérations.",
                "Nous devons choisir la bonne procédure et préparer le cahier des charges du "
                "bureau d'études.",
            ),
            Family(
                ("Revitalisation de centre-bourg et opération de revitalisation de territoire (ORT)",
                 "Montage d'une ORT et d'un programme Petites villes de demain"),
                ("Diagnostic et plan d'actions pour notre centre-bourg",
                 "Préparation d'une convention ORT"),
                ("centre-bourg", "ORT", "Petites villes de demain", "vacance commerciale"),
                "J'ai conduit le diagnostic commerce-habitat et la convention ORT d'une ville "
                "moyenne, avec le suivi des fiches actions.",
                "La vacance commerciale progresse et les élus veulent un plan d'actions partagé.",
            ),
            Family(
                ("Trajectoire zéro artificialisation nette (ZAN) et densification",
                 "Mesure de la consommation foncière et stratégie ZAN"),
                ("Premier bilan de consommation d'espaces pour le ZAN",
                 "Identification du potentiel de densification des zones urbaines"),
                ("ZAN", "foncier", "densification", "SCoT"),
                "Je sais mobiliser les fichiers fonciers et l'observatoire de l'artificialisation "
                "pour mesurer la consommation d'espaces et cartographier les gisements.",
                "Nous devons objectiver notre consommation foncière avant la mise en compatibilité "
                "avec le SCoT.",
            ),
        ),
    ),
    "eau_assainissement": DomainSkills(
        jobs=("Technicien·ne eau et assainissement", "Responsable du service de l'eau",
              "Ingénieur·e réseaux humides"),
        families=(
            Family(
                ("Schéma directeur d'assainissement, zonage pluvial",
                 "Zonage d'assainissement et gestion intégrée des eaux pluviales"),
                ("Cahier des charges pour un schéma directeur d'assainissement",
                 "Mise à jour du zonage pluvial"),
                ("assainissement", "eaux pluviales", "zonage", "schéma directeur"),
                "J'ai suivi deux schémas directeurs d'assainissement, de la campagne de mesures au "
                "programme de travaux chiffré.",
                "Les débordements par temps de pluie se multiplient et le zonage date de 2008.",
            ),
            Family(
                ("Transfert de la compétence eau à l'intercommunalité",
                 "Préparation technique et financière du transfert eau et assainissement"),
                ("Préparer le transfert de la compétence eau",
                 "Inventaire du patrimoine avant transfert des compétences eau et assainissement"),
                ("transfert de compétence", "eau potable", "régie", "DSP"),
                "J'ai participé au transfert de la compétence eau d'une vingtaine de communes : "
                "inventaire, harmonisation tarifaire, reprise des contrats.",
                "Les communes membres attendent une feuille de route claire avant le transfert.",
            ),
            Family(
                ("Réduction des fuites et sectorisation des réseaux d'eau potable",
                 "Plan d'actions rendement de réseau et télérelève"),
                ("Améliorer le rendement de notre réseau d'eau potable",
                 "Diagnostic des pertes sur le réseau de distribution"),
                ("eau potable", "rendement", "sectorisation", "télérelève"),
                "Je pilote la sectorisation et la recherche de fuites d'un réseau de 600 km, avec "
                "un gain de rendement de dix points en quatre ans.",
                "Notre rendement est inférieur au seuil réglementaire et l'agence de l'eau "
                "conditionne ses aides à un plan d'actions.",
            ),
            Family(
                ("Gestion des milieux aquatiques et prévention des inondations (GEMAPI)",
                 "Organisation de la compétence GEMAPI et programme de travaux"),
                ("Structurer l'exercice de la compétence GEMAPI",
                 "Appui au programme d'actions de prévention des inondations"),
                ("GEMAPI", "inondations", "PAPI", "cours d'eau"),
                "J'ai monté un PAPI d'intention et la taxe GEMAPI d'une intercommunalité rurale.",
                "La compétence est exercée a minima et les élus s'interrogent sur la taxe GEMAPI.",
            ),
        ),
    ),
    "mobilite": DomainSkills(
        jobs=("Chargé·e de mission mobilité", "Responsable transports et déplacements",
              "Technicien·ne aménagements cyclables"),
        families=(
            Family(
                ("Plan de mobilité simplifié", "Élaboration d'un plan de mobilité simplifié rural"),
                ("Lancer un plan de mobilité simplifié", "Diagnostic mobilité du territoire"),
                ("plan de mobilité", "LOM", "AOM", "covoiturage"),
                "J'ai élaboré le plan de mobilité simplifié d'une communauté de communes après la "
                "prise de compétence d'autorité organisatrice de la mobilité.",
                "Nous sommes devenus AOM et devons définir une offre adaptée à un territoire rural.",
            ),
            Family(
                ("Schéma directeur cyclable et aménagements vélo",
                 "Conception d'itinéraires cyclables et dossiers de subvention"),
                ("Élaboration d'un schéma cyclable intercommunal",
                 "Appui à une candidature à l'appel à projets Fonds mobilités actives"),
                ("vélo", "schéma cyclable", "aménagements", "subventions"),
                "Je conçois des aménagements cyclables conformes aux recommandations du Cerema et "
                "je monte les dossiers de financement.",
                "Nous souhaitons prioriser nos itinéraires cyclables avant le prochain budget.",
            ),
            Family(
                ("Transport à la demande et mobilité solidaire",
                 "Mise en place d'un service de transport à la demande"),
                ("Étude d'opportunité d'un transport à la demande",
                 "Organisation d'une offre de mobilité solidaire"),
                ("transport à la demande", "mobilité solidaire", "rural"),
                "J'ai lancé un service de transport à la demande et un réseau de conducteurs "
                "solidaires avec les centres sociaux.",
                "Une partie des habitants âgés n'a plus de solution pour se rendre aux soins.",
            ),
            Family(
                ("Zones à faibles émissions et stationnement", "Politique de stationnement et ZFE-m"),
                ("Refonte de la politique de stationnement du centre-ville",
                 "Préparer la concertation sur la zone à faibles émissions"),
                ("stationnement", "ZFE", "concertation"),
                "Je connais les études de stationnement, la tarification et la concertation "
                "autour des zones à faibles émissions.",
                "Le stationnement en centre-ville est saturé et les commerçants demandent une "
                "nouvelle tarification.",
            ),
        ),
    ),
    "voirie": DomainSkills(
        jobs=("Responsable des services techniques", "Technicien·ne voirie et réseaux divers",
              "Conducteur·rice d'opérations bâtiment"),
        families=(
            Family(
                ("Programmation pluriannuelle des travaux de voirie",
                 "Diagnostic de l'état des chaussées et programme d'entretien"),
                ("Établir un programme pluriannuel de voirie",
                 "Relevé et hiérarchisation de l'état de nos routes communales"),
                ("voirie", "chaussées", "programmation", "VRD"),
                "J'ai mis en place un relevé d'état des chaussées et une programmation sur cinq ans "
                "pour 300 km de voies communales.",
                "Les travaux sont décidés au coup par coup et le budget ne suit plus.",
            ),
            Family(
                ("Suivi de chantier et maîtrise d'ouvrage de bâtiments publics",
                 "Conduite d'opération pour la construction d'équipements publics"),
                ("Assistance à maîtrise d'ouvrage pour la rénovation de l'école",
                 "Suivi d'un chantier de construction de salle polyvalente"),
                ("maîtrise d'ouvrage", "bâtiment", "chantier", "programmation"),
                "J'ai conduit une dizaine d'opérations de bâtiment, du programme à la réception "
                "des travaux et à la levée des réserves.",
                "Nous n'avons pas de technicien bâtiment pour suivre ce chantier.",
            ),
            Family(
                ("Accessibilité des établissements recevant du public (Ad'AP)",
                 "Diagnostic accessibilité ERP et voirie (PAVE)"),
                ("Mise à jour de notre agenda d'accessibilité programmée",
                 "Élaboration du plan de mise en accessibilité de la voirie"),
                ("accessibilité", "Ad'AP", "PAVE", "ERP"),
                "Je réalise les diagnostics d'accessibilité et le suivi des Ad'AP des ERP communaux.",
                "Notre Ad'AP arrive à échéance et plusieurs ERP ne sont pas encore conformes.",
            ),
            Family(
                ("Éclairage public : rénovation LED et extinction nocturne",
                 "Schéma directeur d'aménagement lumière"),
                ("Étude de rénovation de l'éclairage public", "Mise en place de l'extinction nocturne"),
                ("éclairage public", "LED", "sobriété"),
                "J'ai piloté la rénovation de 4 000 points lumineux et l'extinction en cœur de nuit.",
                "La facture d'électricité de l'éclairage public a doublé en deux ans.",
            ),
        ),
    ),
    "environnement": DomainSkills(
        jobs=("Chargé·e de mission biodiversité", "Animateur·rice environnement",
              "Responsable prévention et gestion des déchets"),
        families=(
            Family(
                ("Atlas de la biodiversité communale et trame verte et bleue",
                 "Inventaires naturalistes participatifs"),
                ("Lancement d'un atlas de la biodiversité communale",
                 "Intégrer la trame verte et bleue dans nos projets"),
                ("biodiversité", "ABC", "trame verte et bleue", "inventaires"),
                "J'ai coordonné un atlas de la biodiversité communale avec les associations "
                "naturalistes et les écoles.",
                "Les élus veulent mieux connaître la biodiversité avant de réviser le PLU.",
            ),
            Family(
                ("Prévention des déchets et tarification incitative",
                 "Mise en place de la tarification incitative des déchets"),
                ("Étude de passage à la tarification incitative",
                 "Plan local de prévention des déchets ménagers"),
                ("déchets", "tarification incitative", "biodéchets", "PLPDMA"),
                "J'ai accompagné le passage à la redevance incitative et le tri à la source des "
                "biodéchets.",
                "Le tri à la source des biodéchets est obligatoire et nous n'avons pas de solution.",
            ),
            Family(
                ("Gestion différenciée des espaces verts et zéro phyto",
                 "Plan de gestion écologique des espaces publics"),
                ("Plan de gestion différenciée de nos espaces verts",
                 "Former l'équipe espaces verts au zéro phyto"),
                ("espaces verts", "gestion différenciée", "zéro phyto"),
                "Je forme les équipes à la gestion différenciée et au désherbage alternatif.",
                "L'équipe espaces verts doit revoir ses pratiques et convaincre les habitants.",
            ),
        ),
    ),
    "energie": DomainSkills(
        jobs=("Conseiller·ère en énergie partagé", "Chargé·e de mission transition énergétique",
              "Économe de flux"),
        families=(
            Family(
                ("Rénovation énergétique du patrimoine bâti, décret tertiaire",
                 "Suivi des consommations et plateforme OPERAT"),
                ("Préparer nos obligations du décret tertiaire",
                 "Plan pluriannuel de rénovation énergétique des bâtiments communaux"),
                ("décret tertiaire", "OPERAT", "rénovation énergétique", "bâtiments"),
                "Je suis les consommations de 80 bâtiments publics et j'ai déclaré le patrimoine "
                "sur OPERAT avec un plan d'actions chiffré.",
                "Nous n'avons pas encore déclaré nos bâtiments de plus de 1 000 m² sur OPERAT.",
            ),
            Family(
                ("Plan climat-air-énergie territorial (PCAET)",
                 "Animation et suivi d'un PCAET"),
                ("Évaluation à mi-parcours de notre PCAET", "Lancement de l'élaboration du PCAET"),
                ("PCAET", "climat", "évaluation"),
                "J'ai animé l'élaboration d'un PCAET et son évaluation à mi-parcours.",
                "Le PCAET doit être évalué et les indicateurs ne sont pas renseignés.",
            ),
            Family(
                ("Projets photovoltaïques sur le patrimoine public et autoconsommation collective",
                 "Développement des énergies renouvelables citoyennes"),
                ("Étude de toitures photovoltaïques sur nos bâtiments",
                 "Montage d'une opération d'autoconsommation collective"),
                ("photovoltaïque", "autoconsommation", "énergies renouvelables"),
                "J'ai monté trois opérations photovoltaïques et une autoconsommation collective "
                "avec une société citoyenne.",
                "Les élus souhaitent valoriser les toitures des écoles et du gymnase.",
            ),
            Family(
                ("Réseau de chaleur bois et chaufferies collectives",
                 "Étude de faisabilité de chaufferie biomasse"),
                ("Opportunité d'un réseau de chaleur biomasse",
                 "Suivi d'exploitation de notre chaufferie bois"),
                ("chaleur renouvelable", "biomasse", "réseau de chaleur"),
                "Je suis l'exploitation d'une chaufferie bois et de son réseau de chaleur.",
                "Plusieurs chaudières fioul arrivent en fin de vie dans le même quartier.",
            ),
        ),
    ),
}
