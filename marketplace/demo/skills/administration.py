"""Skills of the support functions: procurement, finance, HR, legal affairs, IT."""
from marketplace.demo.skills import ALL, C, D, E, G, R, S, DomainSkills, Family

DOMAINS = {
    "marches_publics": DomainSkills(
        jobs=("Responsable de la commande publique", "Acheteur·se public·que",
              "Juriste marchés publics"),
        families=(
            Family(
                ("Rédaction de DCE et analyse des offres en procédure adaptée",
                 "Accompagnement des services dans leurs achats en MAPA",
                 "Relecture de DCE et sécurisation des consultations"),
                ("Aide à la rédaction du DCE de nos marchés de travaux",
                 "Analyse des offres d'une consultation en procédure adaptée"),
                ("MAPA", "DCE", "analyse des offres", "commande publique"),
                ("Je rédige des DCE complets (RC, CCAP, CCTP) et des rapports d'analyse des offres "
                 "solides en cas de recours.",
                 "J'ai passé une centaine de consultations sur profil acheteur, de l'allotissement "
                 "à la notification."),
                (((C,), "Notre secrétaire de mairie n'a jamais passé de marché de cette taille."),
                 "Un candidat évincé a contesté notre dernier rapport d'analyse des offres.",
                 ((D, R, E, S), "Les services opérationnels écrivent leurs CCTP seuls et la "
                  "commande publique relit trop tard.")),
                kinds=ALL,
            ),
            Family(
                ("Cartographie des achats et groupement de commandes",
                 "Mise en place d'une politique d'achat mutualisée"),
                ("Cartographie de nos achats récurrents",
                 ((C, E), "Constituer un groupement de commandes avec les communes voisines")),
                ("achats", "groupement de commandes", "mutualisation"),
                ("J'ai conduit la cartographie de nos achats et constitué des groupements de "
                 "commandes avec les collectivités voisines.",
                 "Je coordonne un groupement de commandes de fournitures pour 31 communes."),
                (((C,), "Chaque commune achète seule ses fournitures et nous payons trop cher."),
                 ((E,), "Nos communes membres nous demandent d'acheter pour elles."),
                 "Personne ne sait combien nous dépensons par an en fournitures et en entretien."),
                kinds=(C, E, D), jobs=(0, 1),
            ),
            Family(
                ("Achats responsables : clauses sociales et environnementales",
                 "Schéma de promotion des achats socialement et écologiquement responsables (SPASER)"),
                ("Introduire des clauses sociales dans nos marchés",
                 "Élaborer notre SPASER"),
                ("achats responsables", "SPASER", "clauses sociales", "insertion"),
                ("Je facilite l'insertion de clauses sociales et environnementales avec les "
                 "structures d'insertion du territoire.",
                 "Je calcule les heures d'insertion lot par lot avec le facilitateur des clauses "
                 "sociales."),
                (((E, D, R, S), "Nous dépassons le seuil d'achats qui rend le SPASER obligatoire."),
                 "Les élus veulent des heures d'insertion dans les prochains marchés de travaux."),
                kinds=ALL, jobs=(0, 1),
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
                ("Je construis des prospectives financières sur six ans et je pilote les "
                 "autorisations de programme et crédits de paiement.",
                 "J'ai bâti la PPI du mandat avec les élus, projet par projet, et sa mise à jour "
                 "à chaque budget."),
                ("Les élus veulent savoir quels projets sont finançables d'ici la fin du mandat.",
                 "Notre épargne brute fond et la capacité de désendettement dépasse douze ans."),
                kinds=ALL, jobs=(0, 1),
            ),
            Family(
                ("Passage à la nomenclature M57 et au compte financier unique",
                 "Accompagnement au référentiel budgétaire et comptable M57"),
                ("Basculer en M57 au 1er janvier", "Préparer le compte financier unique"),
                ("M57", "compte financier unique", "comptabilité"),
                ("J'ai conduit la bascule en M57 d'une commune et de ses budgets annexes avec le "
                 "comptable public.",
                 "Je forme les gestionnaires à la fongibilité des crédits et au règlement "
                 "budgétaire et financier."),
                (((C,), "La bascule en M57 approche et le service finances est réduit à une "
                  "personne."),
                 "Le règlement budgétaire et financier exigé par la M57 n'est pas écrit."),
                kinds=(C, E), jobs=(0, 2),
            ),
            Family(
                ("Recherche de subventions et montage de dossiers DETR, DSIL, fonds vert",
                 "Ingénierie financière des projets d'investissement"),
                ("Aide au montage des dossiers de subvention DETR et fonds vert",
                 "Recenser les financements mobilisables pour notre projet"),
                ("subventions", "DETR", "DSIL", "fonds vert"),
                ("Je monte chaque année une vingtaine de dossiers de subvention et je tiens un "
                 "tableau de suivi des financements.",
                 "Je connais les guichets DETR, DSIL et fonds vert et le calendrier de la "
                 "préfecture."),
                (((C,), "Nous perdons des financements faute de temps pour monter les dossiers."),
                 ((C,), "Le plan de financement de la rénovation de l'école n'est pas bouclé."),
                 ((E,), "Le plan de financement de la piscine intercommunale n'est pas bouclé.")),
                kinds=(C, E), jobs=(0, 2),
            ),
            Family(
                ("Analyse des bases fiscales et optimisation des recettes",
                 "Commission communale des impôts directs et fiabilisation des bases"),
                ("Fiabiliser nos bases fiscales", "Préparer la commission des impôts directs"),
                ("fiscalité locale", "bases fiscales", "CCID"),
                ("J'anime la commission des impôts directs et je fiabilise les bases avec les "
                 "services fiscaux.",
                 "J'ai fait reclasser une centaine de locaux mal évalués, avec un gain de recettes "
                 "durable."),
                ("Des locaux semblent mal évalués et nos recettes stagnent.",
                 ((E,), "La commission intercommunale des impôts directs ne s'est pas réunie "
                  "depuis deux ans.")),
                kinds=(C, E), jobs=(0, 1),
            ),
        ),
    ),
    "ressources_humaines": DomainSkills(
        jobs=("Responsable des ressources humaines", "Gestionnaire carrière et paie",
              "Conseiller·ère en prévention"),
        families=(
            Family(
                ("GPEC, lignes directrices de gestion",
                 "Gestion prévisionnelle des emplois et des compétences",
                 "Pyramide des âges et plan de recrutement"),
                ("Rédiger nos lignes directrices de gestion",
                 "Démarche de GPEC avant une vague de départs en retraite"),
                ("GPEC", "lignes directrices de gestion", "RH"),
                ("J'ai rédigé les lignes directrices de gestion et animé une démarche de GPEC avec "
                 "les encadrants.",
                 "J'ai construit la pyramide des âges par métier et le plan de recrutement sur "
                 "cinq ans."),
                ("Un tiers des agents partira en retraite d'ici cinq ans.",
                 "Nous n'arrivons plus à recruter sur les métiers techniques."),
                kinds=ALL, jobs=(0,),
            ),
            Family(
                ("Document unique d'évaluation des risques professionnels",
                 "Prévention des risques psychosociaux"),
                ("Mettre à jour notre document unique", "Diagnostic des risques psychosociaux"),
                ("prévention", "DUERP", "risques psychosociaux", "santé au travail"),
                ("Je mets à jour le DUERP et le plan de prévention avec les agents de terrain.",
                 "J'ai mené un diagnostic RPS par questionnaire et entretiens collectifs."),
                ("Notre document unique n'a pas été mis à jour depuis six ans.",
                 "Les arrêts de travail se multiplient au service entretien."),
                kinds=ALL, jobs=(0, 2),
            ),
            Family(
                ("Mise en place du RIFSEEP et cotation des postes",
                 "Révision du régime indemnitaire"),
                ("Réviser notre régime indemnitaire", "Cotation des postes pour le RIFSEEP"),
                ("RIFSEEP", "régime indemnitaire", "cotation des postes"),
                ("J'ai conduit la cotation des postes et la révision du RIFSEEP avec le comité "
                 "social territorial.",
                 "J'ai porté la refonte du RIFSEEP, IFSE et CIA, jusqu'à la délibération.",
                 "J'ai simulé le coût de chaque scénario de régime indemnitaire avant le dialogue "
                 "social."),
                ("Le régime indemnitaire est jugé inéquitable par les agents.",
                 "La refonte du RIFSEEP est promise depuis trois ans aux représentants du "
                 "personnel."),
                kinds=ALL, jobs=(0, 1),
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
                ("Je relis et sécurise les actes, je prépare les conseils et je suis les échanges "
                 "avec le contrôle de légalité.",
                 "J'ai réécrit le règlement intérieur de l'assemblée après le renouvellement."),
                ("La préfecture nous a fait plusieurs observations sur nos délibérations.",
                 "Nos arrêtés sont rédigés à partir de vieux modèles."),
                kinds=ALL, jobs=(0, 1),
            ),
            Family(
                ("Mise en conformité RGPD et registre des traitements",
                 "Délégation à la protection des données mutualisée"),
                ("Mise en conformité RGPD de la collectivité", "Tenir notre registre des traitements"),
                ("RGPD", "DPO", "données personnelles"),
                ("J'ai tenu le registre des traitements de notre collectivité et formé les agents "
                 "aux bons réflexes.",
                 "Je traite les demandes d'accès et les violations de données pour plusieurs "
                 "collectivités."),
                ("Nous n'avons ni registre ni délégué à la protection des données désigné.",
                 "Un administré demande copie de toutes les données que nous détenons sur lui."),
                kinds=ALL + (G,), jobs=(0, 2),
            ),
            Family(
                ("Gestion domaniale et baux", "Cessions et acquisitions immobilières des collectivités"),
                ("Régulariser des emprises foncières", "Rédaction de baux et conventions d'occupation"),
                ("domanialité", "foncier", "baux"),
                ("Je traite les cessions, les déclassements et les conventions d'occupation du "
                 "domaine public.",
                 "J'ai rédigé les actes en la forme administrative de nombreuses acquisitions."),
                ("Plusieurs voies privées sont utilisées comme publiques sans acte.",
                 "Les terrasses des commerces occupent le domaine public sans convention."),
                kinds=(C, E, D), jobs=(0,),
            ),
        ),
    ),
    "numerique": DomainSkills(
        jobs=("Responsable des systèmes d'information", "Chef·fe de projet numérique",
              "Administrateur·rice systèmes et réseaux"),
        families=(
            Family(
                ("Migration vers des logiciels libres",
                 "Déploiement de solutions libres pour les communes"),
                ("Étudier le passage à une suite bureautique libre",
                 "Choisir des outils collaboratifs souverains"),
                ("logiciels libres", "souveraineté", "bureautique"),
                ("J'ai migré 300 postes vers une suite bureautique libre et une messagerie "
                 "hébergée en France.",
                 "J'ai choisi et déployé un outil de visio et d'agenda partagé libres."),
                ("Nos licences augmentent chaque année et nous voulons des outils hébergés en "
                 "France.",
                 "Chacun utilise sa messagerie personnelle pour échanger des fichiers."),
                kinds=ALL + (G,), jobs=(0, 2),
            ),
            Family(
                ("Cybersécurité des collectivités et plan de continuité",
                 "Sensibilisation cybersécurité et sauvegardes"),
                ("Diagnostic de cybersécurité de nos services",
                 "Plan de reprise d'activité après une attaque"),
                ("cybersécurité", "sauvegardes", "PCA", "ANSSI"),
                ("J'ai conduit un parcours de cybersécurité avec l'ANSSI et mis en place des "
                 "sauvegardes déconnectées.",
                 "J'organise des exercices de crise cyber avec la direction générale."),
                ("Une collectivité voisine a subi un rançongiciel et nous ne savons pas où nous en "
                 "sommes.",
                 "Nos sauvegardes n'ont jamais été testées."),
                kinds=ALL + (G,), jobs=(0, 2),
            ),
            Family(
                ("Ouverture des données publiques et SIG",
                 "Système d'information géographique et open data"),
                ("Publier nos premières données en open data",
                 ((E, G), "Structurer notre SIG intercommunal")),
                ("open data", "SIG", "données"),
                ("J'administre un SIG intercommunal et je publie les jeux de données sur "
                 "data.gouv.fr au format des schémas nationaux.",
                 "J'ai publié les délibérations et les subventions au format du socle commun."),
                ("Nous sommes soumis à l'obligation d'ouverture des données sans savoir par où "
                 "commencer.",
                 ((E,), "Chaque commune membre a ses plans sur papier ou sur un logiciel différent.")),
                kinds=ALL + (G,), jobs=(0, 1),
            ),
            Family(
                ("Dématérialisation des démarches et relation usagers",
                 "Guichet numérique des autorisations d'urbanisme"),
                ("Dématérialiser les démarches de l'état civil",
                 "Mettre en place le guichet numérique des autorisations d'urbanisme"),
                ("dématérialisation", "démarches en ligne", "GNAU"),
                ("J'ai mis en ligne les principales démarches et le guichet numérique des "
                 "autorisations d'urbanisme.",
                 "J'ai conduit le projet de gestion de la relation usagers et son portail."),
                ("Les usagers réclament des démarches en ligne et l'accueil est débordé.",
                 ((C,), "Les demandes d'actes d'état civil arrivent encore par courrier.")),
                kinds=(C, E, G), jobs=(1,),
            ),
        ),
    ),
}
