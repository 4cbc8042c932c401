"""Short hand-written clauses that the generator joins around the skill sentences.

Every clause has at most six words and each sentence joins two clauses, the pair chosen among
the least used, so no sentence (and no run of eight words) comes back in more than a handful
of the demo's items: template sentences repeated in hundreds of items would dominate the
lexical scores of the matching engine. Placeholders: {job}, {at}, {years}, {days}, {population}.
"""

OFFER_INTROS = (
    "{Job} {at} depuis {years} ans.",
    "{Job} {at}, {years} ans d'expérience.",
    "Je suis {job} {at} depuis {years} ans.",
    "{Years} ans de métier, aujourd'hui {job} {at}.",
    "En poste comme {job} {at} depuis {years} ans.",
    "Actuellement {job} {at}.",
    "{Job} {at} ; {years} ans dans la territoriale.",
    "Mon poste : {job} {at}.",
)

# Where the agent works, by kind of collectivity (and size for communes); no names, so that
# no place name ends up among the words two texts share.
AT = {
    "small_commune": ("dans une commune de {population} habitants", "en mairie ({population} habitants)"),
    "commune": ("dans une ville de {population} habitants", "à la ville", "dans une mairie de "
                "{population} habitants"),
    "CC": ("dans une communauté de communes", "en communauté de communes"),
    "CA": ("dans une communauté d'agglomération", "en agglomération"),
    "METRO": ("dans une métropole", "en métropole"),
    "departement": ("au conseil départemental", "dans un département"),
    "region": ("au conseil régional", "dans une région"),
    "statut_particulier": ("dans une collectivité à statut particulier",),
    "groupement": ("dans un syndicat mixte", "au sein d'un syndicat mixte"),
}

OFFER_HOW = (
    "Concrètement", "De mon côté", "Sur votre dossier", "Dans un premier temps", "En pratique",
    "Selon vos besoins", "Si cela vous aide", "Pour démarrer", "Sans engagement lourd",
    "À votre rythme", "Au besoin", "En appui de vos équipes",
)
OFFER_WHAT = (
    "je relis et j'annote vos pièces", "je partage nos modèles",
    "j'anime une réunion de lancement", "je travaille avec votre référent",
    "je vous montre nos outils", "on fixe ensemble un calendrier",
    "je rencontre vos élus", "je raconte nos retours d'expérience",
    "je réponds à vos questions", "on priorise les actions",
    "je vous oriente vers les bons interlocuteurs", "je vous raconte nos erreurs",
)
OFFER_WHY = (
    "J'aime transmettre", "Ce partage m'intéresse", "Je le fais volontiers",
    "C'est avec plaisir", "Mon employeur est d'accord", "Notre DGS encourage ces échanges",
)
OFFER_WHY_TAIL = (
    "et je crois aux échanges entre pairs", "et c'est formateur pour moi aussi",
    "alors écrivez-moi", "donc n'hésitez pas", "et nos méthodes peuvent servir ailleurs",
    "et cela nous fait progresser",
)
OFFER_MODALITY = {
    "remote": ("À distance", "En visio", "Par visioconférence", "Depuis mon bureau"),
    "hybrid": ("Sur place puis en visio", "Démarrage sur place, puis visio",
               "Visites et visio en alternance", "Un jour chez vous, puis visio"),
    "on_site": ("Sur place uniquement", "Je me déplace volontiers", "Je préfère venir chez vous",
                "En présentiel de préférence"),
}
OFFER_MODALITY_TAIL = (
    "avec partage d'écran", "points réguliers inclus", "plutôt mardi ou jeudi",
    "par demi-journées", "dossier partagé en ligne", "selon mon planning",
)
OFFER_DAYS = (  # each starts with its own word: the number that follows varies
    "environ {days} par mois", "au plus {days} par mois", "jusqu'à {days} mensuels",
    "hors clôture, {days} par mois", "soit {days} par mois", "disponible {days} par mois",
)

NEED_INTROS = {
    "commune": ("Commune de {population} habitants.", "Nous sommes une commune de {population} habitants.",
                "Ville de {population} habitants."),
    "epci": ("{Nature} de {population} habitants.", "Nous sommes une {nature} de {population} habitants.",
             "{Nature}, {population} habitants."),
    "departement": ("Département de {population} habitants.", "Conseil départemental, {population} habitants."),
    "region": ("Région de {population} habitants.", "Conseil régional, {population} habitants."),
    "statut_particulier": ("Collectivité à statut particulier, {population} habitants.",),
    "groupement": ("Syndicat mixte au service de ses adhérents.", "Nous sommes un syndicat mixte."),
}
NEED_CONTEXT = {
    "commune": ("Le conseil municipal a validé le principe", "Le maire suit le dossier",
                "L'équipe municipale veut avancer", "Un seul agent suit ce sujet",
                "Les adjoints sont très impliqués", "Le sujet revient à chaque conseil"),
    "epci": ("Le bureau communautaire est d'accord", "Les maires en parlent souvent",
             "Nos communes membres suivent le dossier", "Le président veut un calendrier",
             "C'est inscrit au projet de territoire", "Les services communs sont débordés"),
    "departement": ("La commission permanente attend une proposition",
                    "Nos directions territorialisées sont concernées", "Le vice-président porte le sujet",
                    "Siège et territoires doivent s'accorder"),
    "region": ("Le sujet passe en plénière", "La vice-présidente suit le dossier",
               "Nos antennes sont concernées", "Plusieurs directions doivent s'accorder"),
    "statut_particulier": ("L'assemblée attend une proposition",
                           "Nos services territorialisés sont concernés", "Le sujet est prioritaire"),
    "groupement": ("Le comité syndical est d'accord", "Nos adhérents attendent une réponse",
                   "Le président du syndicat suit"),
}
NEED_CONTEXT_TAIL = (
    "mais personne n'a le temps", "et nous cherchons un pair",
    "mais la méthode nous manque", "et nous voulons éviter un prestataire",
    "mais sans retour d'expérience", "et le calendrier est serré",
    "mais le poste est vacant", "et nous voulons apprendre en interne",
    "mais nous partons de zéro", "et quelques données existent déjà",
)
NEED_EXPECTED_LEAD = ("Nous attendons", "Il nous faut", "Idéalement :", "Le but :")
NEED_DELIVERABLES = (
    "une note de cadrage", "un calendrier réaliste", "une relecture de nos documents",
    "des recommandations écrites", "deux ateliers avec les élus", "des modèles éprouvés",
    "un appui à notre agent", "un diagnostic rapide", "des actions priorisées",
    "un regard sur le CCTP", "une méthode simple", "un retour d'expérience",
)
NEED_DAYS = ("Environ {days}", "{days} à prévoir", "Une charge de {days}", "Nous comptons {days}")
NEED_PERIOD = ("sur quelques mois", "avant l'été si possible", "dès la rentrée",
               "sur un trimestre", "frais de déplacement remboursés", "à votre rythme")

# Added to a title already used, so that no two offers (or needs) share a title.
OFFER_ANGLES = (
    " : retour d'expérience", " : méthode et outils", " (appui ponctuel)", " : relecture et conseils",
    " pas à pas", " : premiers pas", " en binôme", " : partage de modèles", " pour les petites équipes",
    " : de la méthode à la pratique", " (expérience de terrain)", " : cadrage et suivi",
)
NEED_ANGLES = (
    " : besoin d'un regard extérieur", " (appui de quelques jours)", " : par où commencer ?",
    " avec l'aide d'un pair", " : cadrage de la démarche", " : relecture bienvenue",
    " avant la fin de l'année", " : besoin de méthode", " (petite équipe)", " : premiers jalons",
)

EPCI_NATURES = {"CC": "communauté de communes", "CA": "communauté d'agglomération",
                "CU": "communauté urbaine", "METRO": "métropole", "MET69": "métropole"}
