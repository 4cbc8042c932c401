"""Skills about the territory itself: planning, networks, roads, environment, energy."""
from marketplace.demo.skills import ALL, C, D, E, R, S, DomainSkills, Family

DOMAINS = {
    "urbanisme": DomainSkills(
        jobs=("Instructeur·rice des autorisations du droit des sols", "Responsable du service urbanisme",
              "Chargé·e de mission planification"),
        families=(
            Family(
                ("Instruction des autorisations d'urbanisme (PC, DP) et accompagnement PLUi",
                 "Instruction ADS et conseil aux pétitionnaires",
                 "Renfort d'instruction ADS en période de pic"),
                ("Renfort pour l'instruction des permis de construire",
                 "Appui temporaire au service ADS pendant une vacance de poste"),
                ("ADS", "permis de construire", "PLUi", "déclaration préalable"),
                ("Je maîtrise l'instruction des PC, PA et DP, la consultation des services et la "
                 "rédaction des arrêtés, y compris en secteur protégé avec l'ABF.",
                 "J'instruis environ 350 dossiers par an et je reçois les porteurs de projet avant "
                 "le dépôt."),
                ("Le stock de dossiers en attente dépasse les délais d'instruction réglementaires.",
                 ((C,), "Depuis le départ de notre instructrice, le maire signe des refus tacites "
                  "sans l'avoir voulu."),
                 ((E,), "Notre service commun instruit pour 28 communes et un poste est vacant "
                  "depuis l'été.")),
                kinds=(C, E), jobs=(0, 1),
            ),
            Family(
                ("Modification et révision de PLU, concertation",
                 "Pilotage d'une procédure de modification simplifiée de PLU",
                 "Procédures d'évolution du PLUi : du cahier des charges à l'approbation"),
                ("Accompagnement à la modification de notre PLU",
                 "Cadrage d'une révision allégée du PLU"),
                ("PLU", "concertation", "OAP", "enquête publique"),
                ("J'ai piloté plusieurs procédures de modification et de révision : cahier des "
                 "charges du bureau d'études, OAP, enquête publique et délibérations.",
                 "J'ai mené une modification simplifiée en huit mois, avec une mise à disposition "
                 "du public sans enquête."),
                (((C,), "Un projet de logements bloque sur une OAP écrite trop vite en 2017."),
                 ((E,), "Le PLUi approuvé il y a trois ans doit déjà évoluer pour douze communes."),
                 "Nous devons choisir la bonne procédure et préparer le cahier des charges du "
                 "bureau d'études."),
                kinds=(C, E, S), jobs=(1, 2),
            ),
            Family(
                ("Revitalisation de centre-bourg et opération de revitalisation de territoire (ORT)",
                 "Montage d'une ORT et d'un programme Petites villes de demain"),
                ("Diagnostic et plan d'actions pour notre centre-bourg",
                 "Préparation d'une convention ORT"),
                ("centre-bourg", "ORT", "Petites villes de demain", "vacance commerciale"),
                ("J'ai conduit le diagnostic commerce-habitat et la convention ORT d'une ville "
                 "moyenne, avec le suivi des fiches actions.",
                 "Pendant trois ans sur Petites villes de demain, j'ai monté l'ORT et les premières "
                 "opérations d'habitat en cœur de bourg."),
                ("La vacance commerciale progresse et les élus veulent un plan d'actions partagé.",
                 "Des logements vides au-dessus des commerces se dégradent dans la rue principale."),
                kinds=(C, E), jobs=(1, 2),
            ),
            Family(
                ("Trajectoire zéro artificialisation nette (ZAN) et densification",
                 "Mesure de la consommation foncière et stratégie ZAN",
                 "Observatoire du foncier et gisements de densification"),
                ("Premier bilan de consommation d'espaces pour le ZAN",
                 "Identification du potentiel de densification des zones urbaines"),
                ("ZAN", "foncier", "densification", "SCoT"),
                ("Je sais mobiliser les fichiers fonciers et l'observatoire de l'artificialisation "
                 "pour mesurer la consommation d'espaces et cartographier les gisements.",
                 "J'ai territorialisé l'objectif ZAN du SCoT entre les communes, avec un compte "
                 "foncier par commune suivi chaque année."),
                ("Nous devons objectiver notre consommation foncière avant la mise en compatibilité "
                 "avec le SCoT.",
                 ((R, S), "La déclinaison du ZAN dans le SRADDET suscite des questions des SCoT."),
                 ((C, E), "Les dents creuses et les friches ne sont recensées nulle part.")),
                kinds=(C, E, R, S), jobs=(1, 2),
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
                ("J'ai suivi deux schémas directeurs d'assainissement, de la campagne de mesures au "
                 "programme de travaux chiffré.",
                 "Je rédige les zonages pluviaux et je conseille l'urbanisme sur l'infiltration à "
                 "la parcelle."),
                ("Les débordements par temps de pluie se multiplient et le zonage date de 2008.",
                 "La station d'épuration reçoit trop d'eaux claires parasites en hiver."),
                kinds=(C, E), jobs=(0, 2),
            ),
            Family(
                ("Transfert de la compétence eau à l'intercommunalité",
                 "Préparation technique et financière du transfert eau et assainissement"),
                ("Préparer le transfert de la compétence eau",
                 "Inventaire du patrimoine avant transfert des compétences eau et assainissement"),
                ("transfert de compétence", "eau potable", "régie", "DSP"),
                ("J'ai participé au transfert de la compétence eau d'une vingtaine de communes : "
                 "inventaire, harmonisation tarifaire, reprise des contrats.",
                 "J'ai préparé la reprise en régie d'une DSP eau potable à son échéance."),
                (((E,), "Les communes membres attendent une feuille de route claire avant le "
                  "transfert des compétences."),
                 ((E,), "Chaque commune a son prix de l'eau et ses contrats : il faut tout "
                  "harmoniser."),
                 ((C,), "La commune gère encore son réseau en régie et le transfert à "
                  "l'intercommunalité approche.")),
                kinds=(C, E), jobs=(1, 2),
            ),
            Family(
                ("Réduction des fuites et sectorisation des réseaux d'eau potable",
                 "Plan d'actions rendement de réseau et télérelève"),
                ("Améliorer le rendement de notre réseau d'eau potable",
                 "Diagnostic des pertes sur le réseau de distribution"),
                ("eau potable", "rendement", "sectorisation", "télérelève"),
                ("Je pilote la sectorisation et la recherche de fuites d'un réseau de 600 km, avec "
                 "un gain de rendement de dix points en quatre ans.",
                 "J'ai déployé la télérelève des compteurs et les alertes de fuite chez les "
                 "abonnés."),
                ("Notre rendement est inférieur au seuil réglementaire et l'agence de l'eau "
                 "conditionne ses aides à un plan d'actions.",
                 "On perd presque un tiers de l'eau produite sans savoir où."),
                kinds=(C, E), jobs=(0, 1, 2),
            ),
            Family(
                ("Gestion des milieux aquatiques et prévention des inondations (GEMAPI)",
                 "Organisation de la compétence GEMAPI et programme de travaux",
                 "Montage d'un PAPI et restauration des cours d'eau"),
                ("Structurer l'exercice de la compétence GEMAPI",
                 "Appui au programme d'actions de prévention des inondations"),
                ("GEMAPI", "inondations", "PAPI", "cours d'eau"),
                ("J'ai monté un PAPI d'intention et la taxe GEMAPI d'une intercommunalité rurale.",
                 "Je gère les systèmes d'endiguement et les travaux de restauration de rivières "
                 "avec le syndicat de bassin versant."),
                ("La compétence est exercée a minima et les élus s'interrogent sur la taxe GEMAPI.",
                 "Les digues n'ont jamais été classées et personne ne sait qui les entretient."),
                kinds=(E,), jobs=(1, 2),
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
                ("J'ai élaboré le plan de mobilité simplifié d'une communauté de communes après la "
                 "prise de compétence d'autorité organisatrice de la mobilité.",
                 "J'anime le comité des partenaires de la mobilité et les lignes de covoiturage."),
                ("Nous sommes devenus AOM et devons définir une offre adaptée à un territoire rural.",
                 "Depuis la loi LOM, la compétence mobilité est à nous et rien n'est écrit."),
                kinds=(E,), jobs=(0, 1),
            ),
            Family(
                ("Schéma directeur cyclable et aménagements vélo",
                 "Conception d'itinéraires cyclables et dossiers de subvention"),
                (((E,), "Élaboration d'un schéma cyclable intercommunal"),
                 "Appui à une candidature à l'appel à projets Fonds mobilités actives"),
                ("vélo", "schéma cyclable", "aménagements", "subventions"),
                ("Je conçois des aménagements cyclables conformes aux recommandations du Cerema et "
                 "je monte les dossiers de financement.",
                 "J'ai conduit un schéma vélo et des véloroutes avec les territoires voisins.",
                 "J'ai fait compter les vélos et les piétons avant et après chaque aménagement "
                 "pour convaincre les élus."),
                ("Nous souhaitons prioriser nos itinéraires cyclables avant le prochain budget.",
                 "Les parents n'osent pas laisser les enfants aller au collège à vélo."),
                kinds=(C, E, D), jobs=(0, 2),
            ),
            Family(
                ("Transport à la demande et mobilité solidaire",
                 "Mise en place d'un service de transport à la demande"),
                ("Étude d'opportunité d'un transport à la demande",
                 "Organisation d'une offre de mobilité solidaire"),
                ("transport à la demande", "mobilité solidaire", "rural"),
                ("J'ai lancé un service de transport à la demande et un réseau de conducteurs "
                 "solidaires avec les centres sociaux.",
                 "Je gère le TAD d'un territoire de 40 communes, réservations et marché de "
                 "transport compris."),
                ("Une partie des habitants âgés n'a plus de solution pour se rendre aux soins.",
                 "Le car scolaire est la seule offre et il ne circule pas l'été."),
                kinds=(E, R), jobs=(0, 1),
            ),
            Family(
                ("Zones à faibles émissions et stationnement", "Politique de stationnement et ZFE-m"),
                ("Refonte de la politique de stationnement du centre-ville",
                 "Préparer la concertation sur la zone à faibles émissions"),
                ("stationnement", "ZFE", "concertation"),
                ("Je connais les études de stationnement, la tarification et la concertation "
                 "autour des zones à faibles émissions.",
                 "J'ai conduit la dépénalisation du stationnement et le forfait post-stationnement."),
                ("Le stationnement en centre-ville est saturé et les commerçants demandent une "
                 "nouvelle tarification.",
                 "Les voitures ventouses occupent la place de la mairie toute la semaine."),
                kinds=(C, E), jobs=(0, 1),
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
                 "Relevé et hiérarchisation de l'état des voies"),
                ("voirie", "chaussées", "programmation", "VRD"),
                ("J'ai mis en place un relevé d'état des chaussées et une programmation sur cinq ans "
                 "pour 300 km de voies.",
                 "Je prépare chaque année le programme de point-à-temps et de renouvellement des "
                 "couches de roulement."),
                (((C,), "Nos routes communales se dégradent et les travaux sont décidés au coup "
                  "par coup."),
                 ((E,), "La voirie d'intérêt communautaire a été redéfinie et l'inventaire des "
                  "voies reste à faire."),
                 ((D, S), "Le réseau routier départemental vieillit et le budget d'entretien "
                  "baisse.")),
                kinds=(C, E, D, S), jobs=(0, 1),
            ),
            Family(
                ("Suivi de chantier et maîtrise d'ouvrage de bâtiments publics",
                 "Conduite d'opération pour la construction d'équipements publics"),
                (((C,), "Assistance à maîtrise d'ouvrage pour la rénovation de l'école"),
                 "Suivi d'un chantier de construction de salle polyvalente"),
                ("maîtrise d'ouvrage", "bâtiment", "chantier", "programmation"),
                ("J'ai conduit une dizaine d'opérations de bâtiment, du programme à la réception "
                 "des travaux et à la levée des réserves.",
                 "Je suis les chantiers en réunion hebdomadaire avec la maîtrise d'œuvre et je "
                 "tiens le bilan financier."),
                ("Nous n'avons pas de technicien bâtiment pour suivre ce chantier.",
                 "L'entreprise de gros œuvre a pris trois mois de retard et nous sommes démunis."),
                kinds=(C, E), jobs=(0, 2),
            ),
            Family(
                ("Accessibilité des établissements recevant du public (Ad'AP)",
                 "Diagnostic accessibilité ERP et voirie (PAVE)"),
                ("Mise à jour de notre agenda d'accessibilité programmée",
                 "Élaboration du plan de mise en accessibilité de la voirie"),
                ("accessibilité", "Ad'AP", "PAVE", "ERP"),
                ("Je réalise les diagnostics d'accessibilité et le suivi des Ad'AP des ERP communaux.",
                 "J'ai rédigé le PAVE d'une commune de 15 000 habitants avec les associations de "
                 "personnes handicapées."),
                ("Notre Ad'AP arrive à échéance et plusieurs ERP ne sont pas encore conformes.",
                 "La salle des fêtes et la mairie ne sont toujours pas accessibles en fauteuil."),
                kinds=(C, E), jobs=(0, 1, 2),
            ),
            Family(
                ("Éclairage public : rénovation LED et extinction nocturne",
                 "Schéma directeur d'aménagement lumière"),
                ("Étude de rénovation de l'éclairage public", "Mise en place de l'extinction nocturne"),
                ("éclairage public", "LED", "sobriété"),
                ("J'ai piloté la rénovation de 4 000 points lumineux et l'extinction en cœur de nuit.",
                 "Je travaille avec le syndicat d'énergie sur le remplacement des luminaires "
                 "boules."),
                ("La facture d'électricité de l'éclairage public a doublé en deux ans.",
                 "Les habitants demandent à la fois moins de lumière et plus de sécurité."),
                kinds=(C,), jobs=(0, 1),
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
                (((C, E), "Lancement d'un atlas de la biodiversité communale"),
                 "Intégrer la trame verte et bleue dans nos projets"),
                ("biodiversité", "ABC", "trame verte et bleue", "inventaires"),
                ("J'ai coordonné un atlas de la biodiversité communale avec les associations "
                 "naturalistes et les écoles.",
                 "Je gère les espaces naturels sensibles et leurs plans de gestion."),
                ("Les élus veulent mieux connaître la biodiversité avant de réviser le PLU.",
                 "Les haies disparaissent et personne ne sait combien de kilomètres il reste."),
                kinds=(C, E, D, S), jobs=(0, 1),
            ),
            Family(
                ("Prévention des déchets et tarification incitative",
                 "Mise en place de la tarification incitative des déchets"),
                ("Étude de passage à la tarification incitative",
                 "Plan local de prévention des déchets ménagers"),
                ("déchets", "tarification incitative", "biodéchets", "PLPDMA"),
                ("J'ai accompagné le passage à la redevance incitative et le tri à la source des "
                 "biodéchets.",
                 "J'ai écrit notre PLPDMA et lancé le compostage partagé."),
                ("Le tri à la source des biodéchets est obligatoire et nous n'avons pas de solution.",
                 "La TEOM augmente chaque année et les tonnages d'ordures ménagères ne baissent "
                 "pas."),
                kinds=(E,), jobs=(1, 2),
            ),
            Family(
                ("Gestion différenciée des espaces verts et zéro phyto",
                 "Plan de gestion écologique des espaces publics"),
                ("Plan de gestion différenciée de nos espaces verts",
                 "Former l'équipe espaces verts au zéro phyto"),
                ("espaces verts", "gestion différenciée", "zéro phyto"),
                ("Je forme les équipes à la gestion différenciée et au désherbage alternatif.",
                 "J'ai enherbé le cimetière et expliqué la démarche aux habitants en réunion."),
                ("L'équipe espaces verts doit revoir ses pratiques et convaincre les habitants.",
                 "Le cimetière est devenu le sujet de plainte numéro un depuis l'arrêt des "
                 "désherbants."),
                kinds=(C,), jobs=(0, 1),
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
                 "Plan pluriannuel de rénovation énergétique des bâtiments publics"),
                ("décret tertiaire", "OPERAT", "rénovation énergétique", "bâtiments"),
                ("Je suis les consommations de 80 bâtiments publics et j'ai déclaré le patrimoine "
                 "sur OPERAT avec un plan d'actions chiffré.",
                 "J'ai mis en place le suivi mensuel des factures de chaque bâtiment, avec des "
                 "alertes de dérive."),
                ("Nous n'avons pas encore déclaré nos bâtiments de plus de 1 000 m² sur OPERAT.",
                 ((R,), "Nos lycées consomment beaucoup et le décret tertiaire impose -40 % d'ici "
                  "2030."),
                 ((D,), "Nos collèges consomment beaucoup et le décret tertiaire impose -40 % "
                  "d'ici 2030."),
                 ((C, E), "L'école et le gymnase sont des passoires thermiques.")),
                kinds=ALL, jobs=(2,),
            ),
            Family(
                ("Plan climat-air-énergie territorial (PCAET)",
                 "Animation et suivi d'un PCAET"),
                ("Évaluation à mi-parcours de notre PCAET", "Lancement de l'élaboration du PCAET"),
                ("PCAET", "climat", "évaluation"),
                ("J'ai animé l'élaboration d'un PCAET et son évaluation à mi-parcours.",
                 "Je tiens le tableau de bord du plan climat et j'anime le club des entreprises "
                 "engagées."),
                ("Le PCAET doit être évalué et les indicateurs ne sont pas renseignés.",
                 "Notre plan climat a été adopté mais aucune action n'a de pilote."),
                kinds=(E,), jobs=(1,),
            ),
            Family(
                ("Projets photovoltaïques sur le patrimoine public et autoconsommation collective",
                 "Développement des énergies renouvelables citoyennes"),
                ("Étude de toitures photovoltaïques sur nos bâtiments",
                 "Montage d'une opération d'autoconsommation collective"),
                ("photovoltaïque", "autoconsommation", "énergies renouvelables"),
                ("J'ai monté trois opérations photovoltaïques et une autoconsommation collective "
                 "avec une société citoyenne.",
                 "J'ai fait poser des ombrières solaires sur le parking du centre aquatique."),
                ("Les élus souhaitent valoriser les toitures des écoles et du gymnase.",
                 ((R, D), "Les toitures de nos établissements pourraient porter des panneaux.")),
                kinds=ALL, jobs=(1, 2),
            ),
            Family(
                ("Réseau de chaleur bois et chaufferies collectives",
                 "Étude de faisabilité de chaufferie biomasse"),
                ("Opportunité d'un réseau de chaleur biomasse",
                 "Suivi d'exploitation de notre chaufferie bois"),
                ("chaleur renouvelable", "biomasse", "réseau de chaleur"),
                ("Je suis l'exploitation d'une chaufferie bois et de son réseau de chaleur.",
                 "J'ai monté le dossier Fonds chaleur d'une chaufferie de 800 kW."),
                ("Plusieurs chaudières fioul arrivent en fin de vie dans le même quartier.",
                 "La chaufferie bois tombe en panne chaque hiver et l'exploitant se renvoie la "
                 "balle."),
                kinds=(C, E), jobs=(0, 1),
            ),
        ),
    ),
}
