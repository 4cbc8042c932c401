"""Skills of the support functions: procurement, finance, HR, legal affairs, IT."""
from marketplace.demo.skills import DomainSkills, Family

DOMAINS = {
    "marches_publics": DomainSkills(
        jobs=("Responsable de la commande publique", "Acheteur·se public·que",
              "Juriste marchés publics"),
        families=(
            Family(
                ("Rédaction de DCE et analyse des offres en procédure adaptée",
                 "Accompagnement des services dans leurs achats en MAPA"),
                ("Aide à la rédaction du DCE de nos marchés de travaux",
                 "Analyse des offres d'une consultation en procédure adaptée"),
                ("MAPA", "DCE", "analyse des offres", "commande publique"),
                "Je rédige des DCE complets (RC, CCAP, CCTP) et des rapports d'analyse des offres "
                "solides en cas de recours.",
                "Notre secrétaire de mairie n'a jamais passé de marché de cette taille.",
            ),
            Family(
                ("Cartographie des achats et groupement de commandes",
                 "Mise en place d'une politique d'achat mutualisée"),
                ("Cartographie de nos achats récurrents",
                 "Constituer un groupement de commandes avec les communes voisines"),
                ("achats", "groupement de commandes", "mutualisation"),
                "J'ai conduit la cartographie des achats d'une intercommunalité et constitué des "
                "groupements de commandes avec ses communes membres.",
                "Chaque commune achète seule ses fournitures et nous payons trop cher.",
            ),
            Family(
                ("Achats responsables : clauses sociales et environnementales",
                 "Schéma de promotion des achats socialement et écologiquement responsables (SPASER)"),
                ("Introduire des clauses sociales dans nos marchés",
                 "Élaborer notre SPASER"),
                ("achats responsables", "SPASER", "clauses sociales", "insertion"),
                "Je facilite l'insertion de clauses sociales et environnementales avec les "
                "structures d'insertion du territoire.",
                "Nous dépassons le seuil d'achats qui rend le SPASER obligatoire.",
            ),
        ),
    ),
    "finances": DomainSkills(
        jobs=("Directeur·rice des finances", "Contrôleur·se de gestion",
              "Gestionnaire budgétaire et comptable"),
        families=(
            Family(
                ("Prospective financière pluriannuelle, PPI",
                 "Construction d'un plan pluriannuel d'investissement"),
                ("Construire notre prospective financière pour le mandat",
                 "Mise en place d'une PPI et d'autorisations de programme"),
                ("prospective", "PPI", "AP/CP", "capacité d'autofinancement"),
                "Je construis des prospectives financières sur six ans et je pilote les "
                "autorisations de programme et crédits de paiement.",
                "Les élus veulent savoir quels projets sont finançables d'ici la fin du mandat.",
            ),
            Family(
                ("Passage à la nomenclature M57 et au compte financier unique",
                 "Accompagnement au référentiel budgétaire et comptable M57"),
                ("Basculer en M57 au 1er janvier", "Préparer le compte financier unique"),
                ("M57", "compte financier unique", "comptabilité"),
                "J'ai conduit la bascule en M57 d'une commune et de ses budgets annexes avec le "
                "comptable public.",
                "La bascule en M57 approche et le service finances est réduit à une personne.",
            ),
            Family(
                ("Recherche de subventions et montage de dossiers DETR, DSIL, fonds vert",
                 "Ingénierie financière des projets d'investissement"),
                ("Aide au montage des dossiers de subvention DETR et fonds vert",
                 "Recenser les financements mobilisables pour notre projet"),
                ("subventions", "DETR", "DSIL", "fonds vert"),
                "Je monte chaque année une vingtaine de dossiers de subvention et je tiens un "
                "tableau de suivi des financements.",
                "Nous perdons des financements faute de temps pour monter les dossiers.",
            ),
            Family(
                ("Analyse des bases fiscales et optimisation des recettes",
                 "Commission communale des impôts directs et fiabilisation des bases"),
                ("Fiabiliser nos bases fiscales", "Préparer la commission des impôts directs"),
                ("fiscalité locale", "bases fiscales", "CCID"),
                "J'anime la commission des impôts directs et je fiabilise les bases avec les "
                "services fiscaux.",
                "Des locaux semblent mal évalués et nos recettes stagnent.",
            ),
        ),
    ),
    "ressources_humaines": DomainSkills(
        jobs=("Responsable des ressources humaines", "Gestionnaire carrière et paie",
              "Conseiller·ère en prévention"),
        families=(
            Family(
                ("GPEC, lignes directrices de gestion",
                 "Gestion prévisionnelle des emplois et des compétences"),
                ("Rédiger nos lignes directrices de gestion",
                 "Démarche de GPEC avant une vague de départs en retraite"),
                ("GPEC", "lignes directrices de gestion", "RH"),
                "J'ai rédigé les lignes directrices de gestion et animé une démarche de GPEC avec "
                "les encadrants.",
                "Un tiers des agents partira en retraite d'ici cinq ans.",
            ),
            Family(
                ("Document unique d'évaluation des risques professionnels",
                 "Prévention des risques psychosociaux"),
                ("Mettre à jour notre document unique", "Diagnostic des risques psychosociaux"),
                ("prévention", "DUERP", "risques psychosociaux", "santé au travail"),
                "Je mets à jour le DUERP et le plan de prévention avec les agents de terrain.",
                "Notre document unique n'a pas été mis à jour depuis six ans.",
            ),
            Family(
                ("Mise en place du RIFSEEP et cotation des postes",
                 "Révision du régime indemnitaire"),
                ("Réviser notre régime indemnitaire", "Cotation des postes pour le RIFSEEP"),
                ("RIFSEEP", "régime indemnitaire", "cotation des postes"),
                "J'ai conduit la cotation des postes et la révision du RIFSEEP avec le comité "
                "social territorial.",
                "Le régime indemnitaire est jugé inéquitable par les agents.",
            ),
        ),
    ),
    "juridique": DomainSkills(
        jobs=("Juriste territorial·e", "Responsable des affaires juridiques et assemblées",
              "Chargé·e de la protection des données"),
        families=(
            Family(
                ("Sécurisation des actes et des délibérations",
                 "Organisation des assemblées et contrôle de légalité"),
                ("Relecture de nos délibérations et arrêtés", "Refonte du règlement intérieur du conseil"),
                ("actes", "délibérations", "contrôle de légalité"),
                "Je relis et sécurise les actes, je prépare les conseils et je suis les échanges "
                "avec le contrôle de légalité.",
                "La préfecture nous a fait plusieurs observations sur nos délibérations.",
            ),
            Family(
                ("Mise en conformité RGPD et registre des traitements",
                 "Délégué·e à la protection des données mutualisé·e"),
                ("Mise en conformité RGPD de la collectivité", "Tenir notre registre des traitements"),
                ("RGPD", "DPO", "données personnelles"),
                "J'ai tenu le registre des traitements de plusieurs communes et formé les agents "
                "aux bons réflexes.",
                "Nous n'avons ni registre ni délégué à la protection des données désigné.",
            ),
            Family(
                ("Gestion domaniale et baux", "Cessions et acquisitions immobilières des collectivités"),
                ("Régulariser des emprises foncières", "Rédaction de baux et conventions d'occupation"),
                ("domanialité", "foncier", "baux"),
                "Je traite les cessions, les déclassements et les conventions d'occupation du "
                "domaine public.",
                "Plusieurs voies privées sont utilisées comme publiques sans acte.",
            ),
        ),
    ),
    "numerique": DomainSkills(
        jobs=("Responsable des systèmes d'information", "Chef·fe de projet numérique",
              "Administrateur·rice systèmes et réseaux"),
        families=(
            Family(
                ("Migration vers des logiciels libres et RGPD",
                 "Déploiement de solutions libres pour les communes"),
                ("Étudier le passage à une suite bureautique libre",
                 "Choisir des outils collaboratifs souverains"),
                ("logiciels libres", "souveraineté", "RGPD", "bureautique"),
                "J'ai migré 300 postes vers une suite bureautique libre et une messagerie "
                "hébergée en France.",
                "Nos licences augmentent chaque année et nous voulons des outils conformes au RGPD.",
            ),
            Family(
                ("Cybersécurité des collectivités et plan de continuité",
                 "Sensibilisation cybersécurité et sauvegardes"),
                ("Diagnostic de cybersécurité de la mairie",
                 "Plan de reprise d'activité après une attaque"),
                ("cybersécurité", "sauvegardes", "PCA", "ANSSI"),
                "J'ai conduit un parcours de cybersécurité avec l'ANSSI et mis en place des "
                "sauvegardes déconnectées.",
                "Une commune voisine a subi un rançongiciel et nous ne savons pas où nous en sommes.",
            ),
            Family(
                ("Ouverture des données publiques et SIG",
                 "Système d'information géographique et open data"),
                ("Publier nos premières données en open data", "Structurer notre SIG intercommunal"),
                ("open data", "SIG", "données"),
                "J'administre un SIG intercommunal et je publie les jeux de données sur "
                "data.gouv.fr au format des schémas nationaux.",
                "Nous sommes soumis à l'obligation d'ouverture des données sans savoir par où "
                "commencer.",
            ),
            Family(
                ("Dématérialisation des démarches et relation usagers",
                 "Guichet numérique des autorisations d'urbanisme"),
                ("Dématérialiser les démarches de l'état civil",
                 "Mettre en place le guichet numérique des autorisations d'urbanisme"),
                ("dématérialisation", "démarches en ligne", "GNAU"),
                "J'ai mis en ligne les principales démarches et le guichet numérique des "
                "autorisations d'urbanisme.",
                "Les usagers réclament des démarches en ligne et l'accueil est débordé.",
            ),
        ),
    ),
}
