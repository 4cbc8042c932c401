"""Six named needs of the demo, written the way agents write them, and offers that answer them.

They sit in Bretagne, the demo coordinator's territory, so that a reviewer signed in as the
coordinator opens each of them and judges the top five suggested agents (issue 12, "Done
when"). Each need has at least three hand-written answers from other collectivities, worded
differently from the need; the rest of the demo holds more offers of the same skill families.
"""
from __future__ import annotations

from typing import NamedTuple

Key = tuple[str, str]


class WrittenOffer(NamedTuple):
    place: Key
    job: str
    domain: str
    title: str
    description: str
    tags: tuple[str, ...]
    modality: str = "remote"
    days: float = 2


class WrittenNeed(NamedTuple):
    key: str
    place: Key
    domain: str
    title: str
    description: str
    tags: tuple[str, ...]
    modality: str = "hybrid"
    days: float = 6


# The pairing the journeys walk through: the demo agent's first offer and the demo referent's
# first need (titles from the ZAN skill family), written by hand so that it ranks high in the
# coordinator's queue whatever else the seed draws.
DEMO_AGENT_OFFER_TEXT = (
    "Chargée de mission planification dans une ville de 230\u202f890 habitants depuis 9 ans. Je "
    "mesure la consommation foncière avec les fichiers fonciers et l'observatoire de "
    "l'artificialisation, et j'ai préparé la trajectoire ZAN du PLUi : bilan des espaces consommés "
    "depuis 2011, gisements de densification, friches. Je partage la méthode, nos tableaux et nos "
    "cartes, en visio puis une journée sur place ; 2 jours par mois."
)
DEMO_REFERENT_NEED_TEXT = (
    "Communauté d'agglomération de 67\u202f121 habitants. Nous devons faire le premier bilan de la "
    "consommation d'espaces avant la mise en compatibilité avec le SCoT, et préparer notre "
    "trajectoire ZAN. Nous ne savons pas exploiter les fichiers fonciers ni repérer les gisements "
    "de densification. Nous attendons une méthode et un regard sur nos premiers chiffres. Environ "
    "3 jours, dès la rentrée."
)
DEMO_REFERENT_NEED_DAYS = 3

SHOWCASE_NEEDS: tuple[WrittenNeed, ...] = (
    WrittenNeed(
        "zan", ("epci", "200039022"), "urbanisme",
        "Trajectoire ZAN : compter nos hectares consommés depuis 2011",
        "Le SCoT nous demande de territorialiser l'objectif zéro artificialisation nette dans le "
        "PLUi. On ne sait pas lire les fichiers fonciers ni l'observatoire national, et les maires "
        "veulent savoir ce qu'il reste à chaque commune. On cherche quelqu'un qui a déjà fait le "
        "compte foncier et repéré les dents creuses.",
        ("ZAN", "foncier", "PLUi", "SCoT"), days=8,
    ),
    WrittenNeed(
        "gpec", ("departement", "29"), "ressources_humaines",
        "GPEC : anticiper les départs en retraite dans les collèges et les centres routiers",
        "Près d'un agent sur trois des collèges et des centres d'exploitation routière part en "
        "retraite d'ici 2030. On veut une démarche de GPEC par métier, une pyramide des âges "
        "lisible et des lignes directrices de gestion qui disent comment on recrute et on forme.",
        ("GPEC", "RH", "lignes directrices de gestion"), days=10,
    ),
    WrittenNeed(
        "dce", ("commune", "35360"), "marches_publics",
        "DCE pour la restauration scolaire : allotir et respecter EGalim",
        "Notre marché de denrées pour les cantines arrive à échéance. Il faut rédiger le DCE "
        "(allotissement par familles de produits, critères d'attribution, clauses EGalim) et "
        "choisir entre MAPA et appel d'offres. Une relecture du CCTP et du règlement de "
        "consultation nous rassurerait.",
        ("DCE", "commande publique", "restauration scolaire", "EGalim"), days=5,
    ),
    WrittenNeed(
        "rgpd", ("commune", "35236"), "juridique",
        "RGPD : pas de DPO et un registre des traitements vide",
        "La CNIL a relancé les communes de notre taille. Nous n'avons pas désigné de délégué à la "
        "protection des données et le registre n'existe pas. Il faudrait recenser les fichiers "
        "(état civil, listes électorales, cantine, vidéoprotection), écrire les mentions "
        "d'information et former l'accueil.",
        ("RGPD", "DPO", "données personnelles"), days=6,
    ),
    WrittenNeed(
        "abs", ("commune", "29232"), "social",
        "ABS du CCAS à refaire avant le nouveau mandat",
        "L'analyse des besoins sociaux date de 2015. Le conseil d'administration du CCAS veut un "
        "portrait social de la ville par quartier (isolement des aînés, familles monoparentales, "
        "précarité énergétique) pour revoir ses aides facultatives.",
        ("ABS", "CCAS", "diagnostic social"), days=8,
    ),
    WrittenNeed(
        "gemapi", ("epci", "200068120"), "eau_assainissement",
        "GEMAPI : organiser la compétence après les crues de l'hiver",
        "Les débordements de cet hiver ont touché deux bourgs. La compétence GEMAPI nous revient "
        "mais les digues ne sont pas classées et le syndicat de bassin versant attend nos "
        "décisions. Les élus hésitent à lever la taxe GEMAPI et voudraient un PAPI d'intention.",
        ("GEMAPI", "inondations", "PAPI"), days=8,
    ),
)

SHOWCASE_OFFERS: tuple[WrittenOffer, ...] = (
    # ZAN
    WrittenOffer(
        ("epci", "241200567"), "Chargée de mission planification", "urbanisme",
        "Compte foncier communal et territorialisation du ZAN",
        "J'ai réparti l'enveloppe foncière du SCoT entre 15 communes à partir des fichiers "
        "fonciers et de l'observatoire de l'artificialisation. Je vous montre la méthode de "
        "comptage depuis 2011 et le tableau que nous tenons à jour chaque année.",
        ("ZAN", "foncier", "SCoT"), "hybrid", 2,
    ),
    WrittenOffer(
        ("commune", "67482"), "Géomaticien·ne urbanisme", "urbanisme",
        "Repérage des dents creuses et gisements de densification",
        "Je cartographie les dents creuses, divisions parcellaires possibles et friches à partir "
        "du cadastre et des photos aériennes. Utile pour un PLUi qui doit sobrement consommer "
        "l'espace.",
        ("densification", "foncier", "ZAN"), "remote", 1.5,
    ),
    WrittenOffer(
        ("epci", "200072643"), "Responsable du service urbanisme", "urbanisme",
        "Zéro artificialisation nette dans un PLUi rural",
        "Notre PLUi a été révisé pour tenir la trajectoire de sobriété foncière. J'explique "
        "comment nous avons convaincu les maires, réduit les zones à urbaniser et suivi la "
        "consommation d'espaces.",
        ("ZAN", "PLUi", "foncier"), "remote", 2,
    ),
    # GPEC
    WrittenOffer(
        ("departement", "12"), "Responsable des ressources humaines", "ressources_humaines",
        "Anticiper les départs en retraite des agents techniques",
        "J'ai conduit la gestion prévisionnelle des emplois pour les agents des routes et des "
        "collèges d'un département : pyramide des âges par métier, postes à risque, plan de "
        "recrutement et d'apprentissage.",
        ("GPEC", "recrutement", "RH"), "hybrid", 2,
    ),
    WrittenOffer(
        ("region", "44"), "Conseillère en gestion des emplois et des compétences", "ressources_humaines",
        "Cartographie des métiers et lignes directrices de gestion",
        "J'ai écrit nos lignes directrices de gestion et la cartographie des métiers, y compris "
        "pour les agents des lycées. Je partage la trame et la façon d'y associer les "
        "représentants du personnel.",
        ("lignes directrices de gestion", "GPEC"), "remote", 1.5,
    ),
    WrittenOffer(
        ("epci", "243100518"), "Responsable emploi et compétences", "ressources_humaines",
        "Démarche compétences et plan de formation par métier",
        "Je relie les fiches de poste, les entretiens professionnels et le plan de formation "
        "pour préparer les remplacements. J'ai animé des ateliers avec les encadrants de terrain.",
        ("GPEC", "formation", "RH"), "remote", 2,
    ),
    # DCE restauration scolaire
    WrittenOffer(
        ("commune", "33243"), "Acheteuse publique", "marches_publics",
        "Marchés de denrées alimentaires : allotissement et critères",
        "Je rédige les marchés de denrées de la restauration scolaire : lots par familles de "
        "produits, critères de qualité et de circuits courts compatibles avec le Code de la "
        "commande publique, suivi des taux EGalim.",
        ("DCE", "restauration scolaire", "EGalim", "commande publique"), "remote", 2,
    ),
    WrittenOffer(
        ("epci", "244000675"), "Responsable de la commande publique", "marches_publics",
        "Relecture de CCTP et de règlements de consultation",
        "J'ai relu des dizaines de DCE avant publication. Je repère les clauses fragiles, les "
        "critères mal pondérés et les pièces qui manquent, en MAPA comme en appel d'offres.",
        ("DCE", "MAPA", "commande publique"), "remote", 1.5,
    ),
    WrittenOffer(
        ("commune", "12145"), "Responsable de la restauration collective", "alimentation_durable",
        "Cantines : consultation des fournisseurs et produits locaux",
        "J'ai préparé avec notre acheteur le dernier marché de la cuisine centrale : lots bio, "
        "viande locale, pain. Je sais ce qu'un CCTP doit dire pour tenir les objectifs EGalim.",
        ("EGalim", "restauration collective", "cantine"), "hybrid", 1.5,
    ),
    WrittenOffer(
        ("departement", "31"), "Acheteur public", "marches_publics",
        "Critères et clauses EGalim dans les marchés de restauration collective",
        "Pour les cuisines des collèges, j'ai écrit les critères d'attribution et les clauses "
        "qui garantissent 50 % de produits durables, avec un lot réservé aux producteurs "
        "locaux. Je partage notre règlement de consultation et notre grille d'analyse.",
        ("DCE", "commande publique", "EGalim"), "remote", 2,
    ),
    # RGPD
    WrittenOffer(
        ("groupement", "253514491"), "Délégué·e à la protection des données mutualisé·e", "juridique",
        "DPO mutualisé pour les communes",
        "Au syndicat, j'exerce la fonction de DPO pour plus de cent communes : registre des "
        "traitements, mentions d'information, réponses aux demandes d'accès et sensibilisation "
        "des agents d'accueil.",
        ("DPO", "RGPD", "données personnelles"), "hybrid", 2,
    ),
    WrittenOffer(
        ("commune", "44036"), "Juriste territorial·e", "juridique",
        "Registre des traitements : modèles prêts à adapter",
        "J'ai monté le registre de la ville avec une fiche par traitement (état civil, "
        "élections, périscolaire, vidéoprotection). Je donne les modèles et la méthode pour "
        "interroger chaque service.",
        ("RGPD", "données personnelles"), "remote", 1.5,
    ),
    WrittenOffer(
        ("departement", "33"), "Chargée de la protection des données", "juridique",
        "Protection des données personnelles : premiers pas d'une collectivité",
        "Je forme les agents aux bons réflexes CNIL et j'ai rédigé notre politique de "
        "protection des données. Je peux vous aider à désigner un délégué et à prioriser.",
        ("RGPD", "DPO"), "remote", 1,
    ),
    # ABS / CCAS
    WrittenOffer(
        ("commune", "44109"), "Chargée d'observation sociale", "social",
        "Portrait social par quartier pour un CCAS",
        "J'ai produit l'analyse des besoins sociaux de la ville avec les données de la CAF, de "
        "l'INSEE et des associations. Je partage les indicateurs par quartier et la trame du "
        "rapport présenté au conseil d'administration.",
        ("ABS", "CCAS", "diagnostic social"), "remote", 2,
    ),
    WrittenOffer(
        ("commune", "63113"), "Directeur·rice de CCAS", "social",
        "Revoir les aides facultatives à partir de l'ABS",
        "Notre CCAS a refondu son règlement des aides facultatives après l'analyse des besoins "
        "sociaux : isolement des personnes âgées, familles monoparentales, impayés d'énergie.",
        ("CCAS", "ABS", "aides facultatives"), "hybrid", 1.5,
    ),
    WrittenOffer(
        ("commune", "40088"), "Conseillère en économie sociale et familiale", "social",
        "Enquête auprès des habitants pour un diagnostic social",
        "J'ai organisé les questionnaires et les entretiens avec les habitants pour le "
        "diagnostic social de notre CCAS, notamment auprès des aînés isolés.",
        ("diagnostic social", "CCAS"), "remote", 1,
    ),
    # GEMAPI
    WrittenOffer(
        ("epci", "200066231"), "Technicien·ne rivières", "eau_assainissement",
        "PAPI d'intention et classement des digues",
        "Après les crues de 2022, j'ai monté notre programme d'actions de prévention des "
        "inondations et le dossier de classement des systèmes d'endiguement avec la DDT.",
        ("PAPI", "inondations", "GEMAPI"), "hybrid", 2,
    ),
    WrittenOffer(
        ("epci", "200070092"), "Responsable des milieux aquatiques", "eau_assainissement",
        "Organisation de la GEMAPI avec les syndicats de bassin",
        "J'ai préparé le transfert de la compétence aux syndicats de bassin versant et la "
        "délibération sur la taxe GEMAPI : produit attendu, programme de travaux, information "
        "des maires.",
        ("GEMAPI", "cours d'eau"), "remote", 2,
    ),
    WrittenOffer(
        ("epci", "241200567"), "Ingénieur·e hydraulique", "eau_assainissement",
        "Zones d'expansion de crues et restauration de rivières",
        "Je conduis les travaux de restauration de cours d'eau et d'aménagement de zones "
        "d'expansion de crues qui protègent les bourgs des débordements.",
        ("inondations", "cours d'eau", "GEMAPI"), "remote", 1.5,
    ),
)
