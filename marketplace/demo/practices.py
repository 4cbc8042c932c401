"""The demo's practice sheets ("fiches pratiques") and where they spread ("essaimage").

Twelve published sheets, each documented by a demo agent of the collectivity that ran the
practice, and reuse declarations made by the representatives of other demo collectivities.
The texts are illustrative: they describe plausible public-sector practices, not what the
named collectivities actually did, and contacts name services, never people. Who wrote a
sheet and when things happened come from a random.Random seeded like the rest of the plan, so
the same seed always gives the same sheets.
"""
from __future__ import annotations

import random
from typing import NamedTuple

from marketplace.demo.generator import DemoPlan

Key = tuple[str, str]  # (kind, code) of a collectivity, as in collectivities.PLACES


class PracticeText(NamedTuple):
    collectivity: Key
    domain: str
    title: str
    summary: str
    problem: str
    actions: str  # Markdown, with a list
    results: str
    costs: str
    days: float
    contacts: str
    tags: tuple[str, ...]
    reuses: tuple[tuple[Key, str], ...]  # (collectivity, "inspired" | "implemented")


class PlannedReuse(NamedTuple):
    collectivity: Key
    declared_by_email: str
    stage: str
    inspired_days_ago: int
    implemented_days_ago: int | None


class PlannedPractice(NamedTuple):
    text: PracticeText
    author_email: str
    published_days_ago: int
    reuses: tuple[PlannedReuse, ...]


def _c(code):
    return ("commune", code)


def _e(siren):
    return ("epci", siren)


def _d(code):
    return ("departement", code)


PRACTICES: tuple[PracticeText, ...] = (
    PracticeText(
        _c("12145"), "alimentation_durable",
        "Restauration scolaire : 55 % de produits durables dont 30 % de bio avec le Projet alimentaire territorial",
        "La cuisine centrale a revu ses marchés et ses menus avec les producteurs du PAT : plus de produits locaux et bio, "
        "moins de gaspillage, un coût matière maîtrisé.",
        "Les repas servis dans les écoles étaient loin des objectifs EGalim (50 % de produits durables dont 20 % de bio). "
        "Les marchés, en lots trop larges, écartaient les producteurs locaux et le gaspillage alimentaire atteignait 120 g par repas.",
        "- Diagnostic du gaspillage alimentaire : pesées des restes pendant deux semaines dans chaque restaurant scolaire\n"
        "- Allotissement fin des marchés (légumes, viande, laitages) et critères de fraîcheur et de saisonnalité\n"
        "- Rencontres acheteurs-producteurs organisées avec la chambre d'agriculture dans le cadre du PAT\n"
        "- Formation des cuisiniers au fait maison et aux menus végétariens\n"
        "- Ajustement des grammages et service à la demande pour réduire le gaspillage",
        "En deux ans : 55 % de produits durables dont 30 % de bio, gaspillage ramené à 70 g par repas, "
        "coût matière stable grâce aux économies sur les restes. Douze producteurs locaux fournissent désormais la cuisine.",
        "Aucun bureau d'études. Surcoût matière de 0,18 € par repas la première année, compensé ensuite. "
        "Formation prise en charge par le CNFPT.",
        45, "Service restauration scolaire de la mairie, cuisine centrale ; animation du PAT à la communauté de communes.",
        ("PAT", "EGalim", "cantine", "bio", "circuits courts", "gaspillage alimentaire"),
        ((_c("40088"), "implemented"), (_c("09225"), "implemented"), (_c("31483"), "inspired"),
         (_e("243500741"), "inspired"), (_c("29232"), "inspired")),
    ),
    PracticeText(
        _d("02"), "marches_publics",
        "Un groupement de commandes départemental pour l'entretien des routes communales",
        "Le Département coordonne un accord-cadre d'entretien de voirie ouvert aux communes : une seule procédure, "
        "des prix négociés à l'échelle du territoire, des bons de commande gérés par chaque commune.",
        "Les petites communes lançaient chacune leur marché de travaux de voirie, souvent infructueux ou à des prix élevés, "
        "sans compétence technique pour rédiger les pièces ni suivre les chantiers.",
        "- Recensement des besoins des communes volontaires (linéaires, types d'enduits, calendrier)\n"
        "- Convention constitutive du groupement, le Département coordonnateur\n"
        "- Accord-cadre à bons de commande alloti par secteur géographique\n"
        "- Bordereau de prix unitaires commun et modèle de bon de commande\n"
        "- Appui technique de l'agence départementale pour la réception des travaux",
        "142 communes adhérentes, baisse moyenne de 14 % des prix unitaires, plus aucun marché infructueux. "
        "Les communes gardent la main sur leur programme annuel.",
        "Temps agent du service de la commande publique départemental ; adhésion gratuite pour les communes.",
        60, "Direction de la commande publique du Département ; agence technique départementale.",
        ("groupement de commandes", "accord-cadre", "voirie", "mutualisation", "petites communes"),
        ((_e("200043495"), "implemented"), (_d("63"), "inspired"), (_d("12"), "implemented")),
    ),
    PracticeText(
        _c("67482"), "numerique",
        "Migration de 900 postes de travail vers une suite bureautique libre",
        "La ville a remplacé sa suite bureautique propriétaire par LibreOffice et une messagerie libre, "
        "avec un accompagnement au changement service par service.",
        "Le renouvellement des licences coûtait plus de 200 000 € par an et enfermait la collectivité chez un éditeur. "
        "Les formats de documents empêchaient l'échange avec certains partenaires.",
        "- Inventaire des macros et des modèles de documents, priorisés avec chaque direction\n"
        "- Choix dans le socle interministériel de logiciels libres (SILL)\n"
        "- Pilote avec deux services volontaires, puis déploiement par vagues de 100 postes\n"
        "- Réseau d'ambassadeurs dans les services et formations courtes d'une demi-journée\n"
        "- Conversion des modèles au format ODF et charte d'échange avec les partenaires",
        "900 postes migrés en 18 mois, 180 000 € de licences économisés chaque année, "
        "satisfaction des agents à 72 % après un an.",
        "Prestation de support libre : 40 000 € par an. Formation : 25 jours de formateur interne.",
        120, "Direction du numérique de la ville ; réseau des ambassadeurs bureautique.",
        ("logiciels libres", "LibreOffice", "SILL", "souveraineté numérique", "conduite du changement"),
        ((_e("246700488"), "implemented"), (_c("69123"), "inspired"), (("region", "76"), "inspired"),
         (_c("21231"), "inspired")),
    ),
    PracticeText(
        _e("200072726"), "mobilite",
        "Un plan de mobilité simplifié pour une intercommunalité rurale",
        "Devenue autorité organisatrice de la mobilité, la communauté de communes a élaboré en un an un plan de mobilité "
        "simplifié : transport à la demande, covoiturage et location de vélos électriques.",
        "Sans bus régulier hors de la ville-centre, les habitants âgés et les jeunes sans permis restaient isolés ; "
        "l'accès aux soins et à l'emploi dépendait de la voiture.",
        "- Enquête auprès de 600 habitants et entretiens avec les employeurs et les centres de soins\n"
        "- Comité de pilotage avec la Région, le Département et les communes\n"
        "- Service de transport à la demande vers les pôles de santé et le marché\n"
        "- Aires de covoiturage et application de mise en relation\n"
        "- Location longue durée de vélos à assistance électrique",
        "Le transport à la demande réalise 450 courses par mois, dont 60 % vers des rendez-vous médicaux. "
        "Le plan a été adopté à l'unanimité et sert de base à la contractualisation avec la Région.",
        "Étude réalisée en interne avec l'appui de l'agence d'urbanisme. Transport à la demande : 110 000 € par an, "
        "financé en partie par le versement mobilité.",
        70, "Service mobilité de la communauté de communes.",
        ("plan de mobilité simplifié", "rural", "transport à la demande", "covoiturage", "AOM", "LOM"),
        ((_e("241200567"), "implemented"), (_e("200066231"), "inspired"), (_e("240500439"), "inspired"),
         (_e("200039022"), "inspired")),
    ),
    PracticeText(
        _c("33243"), "energie",
        "Rénovation énergétique des écoles : tenir la trajectoire du décret tertiaire",
        "Un plan pluriannuel de rénovation des groupes scolaires, fondé sur un suivi des consommations, "
        "pour atteindre −40 % en 2030 comme l'exige le décret tertiaire.",
        "Huit écoles construites avant 1980 représentaient 45 % des consommations d'énergie de la commune. "
        "Les déclarations sur OPERAT n'étaient pas faites et aucun plan de travaux n'existait.",
        "- Collecte des factures et déclaration des consommations de référence sur OPERAT\n"
        "- Audits énergétiques des huit écoles et classement des travaux par coût du kWh évité\n"
        "- Travaux par tranches pendant les vacances scolaires : isolation, menuiseries, chaufferies\n"
        "- Pilotage du chauffage et sensibilisation des équipes éducatives\n"
        "- Recherche de financements : DSIL, fonds vert, certificats d'économies d'énergie",
        "Trois écoles rénovées : −38 % de consommation sur ces bâtiments, confort d'été amélioré. "
        "La commune est sur la trajectoire 2030.",
        "2,4 M€ de travaux financés à 55 % par la DSIL, le fonds vert et les CEE. Conseiller en énergie partagé.",
        90, "Services techniques de la ville, pôle bâtiments ; conseiller en énergie partagé du territoire.",
        ("décret tertiaire", "OPERAT", "rénovation énergétique", "écoles", "CEE"),
        ((_c("33063"), "inspired"), (_c("40088"), "inspired")),
    ),
    PracticeText(
        _e("200065886"), "numerique",
        "Un service SIG mutualisé entre l'agglomération et ses communes",
        "L'agglomération met à disposition de ses communes un géomaticien, un portail cartographique et des données "
        "partagées (cadastre, réseaux, urbanisme).",
        "Chaque commune tenait ses plans à part ; les demandes d'urbanisme et les déclarations de travaux "
        "se traitaient sans données fiables sur les réseaux.",
        "- Convention de service commun et clé de répartition selon la population\n"
        "- Portail cartographique web fondé sur QGIS et des logiciels libres\n"
        "- Intégration du cadastre, des réseaux d'eau et du PLUi\n"
        "- Formation de référents SIG dans chaque commune\n"
        "- Catalogue de données ouvert aux partenaires",
        "45 communes utilisent le portail ; les délais d'instruction des autorisations d'urbanisme ont baissé d'une semaine.",
        "Un poste et demi de géomaticien, 0,60 € par habitant et par an pour les communes.",
        80, "Service commun SIG de l'agglomération.",
        ("SIG", "mutualisation", "cadastre", "QGIS", "service commun"),
        ((_e("200039022"), "implemented"), (_e("200072643"), "inspired")),
    ),
    PracticeText(
        _c("02408"), "social",
        "Une analyse des besoins sociaux conduite en interne par le CCAS",
        "Le CCAS a réalisé son analyse des besoins sociaux avec ses propres équipes et les données publiques, "
        "en associant les habitants et les partenaires.",
        "L'ABS obligatoire n'avait pas été renouvelée depuis le précédent mandat ; "
        "le CCAS manquait d'une vision partagée de la précarité dans les quartiers.",
        "- Portrait social à partir des données INSEE, CAF et des demandes d'aides facultatives\n"
        "- Questionnaire auprès des usagers et ateliers dans les maisons de quartier\n"
        "- Focus thématique sur l'isolement des personnes âgées\n"
        "- Restitution au conseil d'administration et plan d'action pluriannuel",
        "Un diagnostic partagé, trois priorités votées (isolement, accès aux droits, logement) "
        "et un observatoire social mis à jour chaque année.",
        "Aucune dépense externe ; stagiaire de master pendant six mois.",
        35, "CCAS de la ville, pôle observation sociale.",
        ("CCAS", "analyse des besoins sociaux", "ABS", "observatoire social", "accès aux droits"),
        ((_c("44036"), "inspired"), (_c("42147"), "implemented")),
    ),
    PracticeText(
        _e("200068120"), "urbanisme",
        "Mesurer la consommation d'espaces pour préparer la trajectoire ZAN",
        "Un premier bilan de la consommation foncière, produit en interne à partir des fichiers fonciers, "
        "pour cadrer la révision du PLUi et la compatibilité avec le SCoT.",
        "La loi Climat et résilience impose de diviser par deux la consommation d'espaces naturels, agricoles "
        "et forestiers ; l'agglomération ne disposait d'aucun chiffre partagé avec les communes.",
        "- Exploitation des fichiers fonciers et du portail de l'artificialisation\n"
        "- Vérification par photo-interprétation des secteurs en extension\n"
        "- Recensement du potentiel en densification (dents creuses, friches)\n"
        "- Ateliers avec les élus pour répartir l'enveloppe foncière entre communes",
        "Une consommation de 310 ha sur dix ans, un potentiel de 120 ha en densification "
        "et une enveloppe foncière répartie avant l'arrêt du PLUi.",
        "Temps de deux agents du service urbanisme ; données gratuites (Cerema).",
        40, "Service planification de l'agglomération.",
        ("ZAN", "foncier", "artificialisation", "SCoT", "PLUi"),
        ((_e("243500741"), "inspired"), (_e("200070092"), "implemented")),
    ),
    PracticeText(
        _e("244000675"), "developpement_economique",
        "L'inventaire des zones d'activités économiques en six mois",
        "L'agglomération a inventorié ses zones d'activités, parcelle par parcelle, comme le demande la loi Climat et résilience.",
        "Les données sur les zones d'activités étaient dispersées entre les communes ; la vacance des locaux "
        "et les terrains disponibles n'étaient pas connus.",
        "- Liste des zones et recueil des données foncières et fiscales\n"
        "- Visites de terrain pour qualifier la vacance des locaux\n"
        "- Consultation des propriétaires et occupants pendant 30 jours\n"
        "- Publication de l'inventaire et mise à jour tous les six ans",
        "22 zones inventoriées, 14 ha de foncier mobilisable identifiés sans nouvelle extension.",
        "Temps du service développement économique ; 8 000 € de prestation de cartographie.",
        30, "Direction du développement économique de l'agglomération.",
        ("zones d'activités", "foncier économique", "loi Climat et résilience", "vacance"),
        (),
    ),
    PracticeText(
        _e("242100410"), "finances",
        "Une PPI et des autorisations de programme pour piloter les investissements du mandat",
        "La métropole a bâti un plan pluriannuel d'investissement relié à sa prospective financière "
        "et géré en autorisations de programme et crédits de paiement.",
        "Les projets votés dépassaient la capacité d'autofinancement ; les reports de crédits "
        "gonflaient chaque année le budget d'investissement.",
        "- Recensement des projets et fiches projet normalisées\n"
        "- Prospective financière sur six ans et seuil d'endettement cible\n"
        "- Priorisation des projets par les élus en séminaire\n"
        "- Passage en AP/CP et règlement budgétaire et financier",
        "Taux de réalisation des investissements passé de 58 % à 81 %, capacité de désendettement maintenue sous 8 ans.",
        "Outil de prospective existant ; formation des services par un agent de la direction des finances.",
        25, "Direction des finances de la métropole.",
        ("PPI", "AP/CP", "prospective", "capacité d'autofinancement"),
        ((_e("246300701"), "inspired"),),
    ),
    PracticeText(
        _e("242010056"), "eau_assainissement",
        "Télérelève des compteurs d'eau et recherche active des fuites",
        "Le service de l'eau a équipé ses compteurs de la télérelève et sectorisé son réseau pour localiser les fuites.",
        "Le rendement du réseau d'eau potable était de 68 %, sous le seuil réglementaire ; "
        "les fuites chez les abonnés étaient découvertes à la facture.",
        "- Sectorisation du réseau et débitmètres de sectorisation\n"
        "- Déploiement progressif des compteurs télérelevés\n"
        "- Alertes de surconsommation envoyées aux abonnés\n"
        "- Campagnes de recherche de fuites sur les secteurs prioritaires",
        "Rendement porté à 79 % en trois ans ; 600 alertes de fuite envoyées aux abonnés la première année.",
        "1,9 M€ financés avec l'agence de l'eau ; maintenance de la télérelève : 60 000 € par an.",
        55, "Régie des eaux de l'agglomération.",
        ("télérelève", "rendement de réseau", "fuites", "eau potable"),
        (),
    ),
    PracticeText(
        _c("05023"), "environnement",
        "Gestion différenciée des espaces verts et zéro phyto en montagne",
        "La ville entretient ses espaces verts selon leur usage, sans pesticides, en adaptant les pratiques au climat de montagne.",
        "L'interdiction des produits phytosanitaires et la baisse des effectifs obligeaient à revoir l'entretien "
        "de 80 ha d'espaces verts et des cimetières.",
        "- Classement des espaces en quatre niveaux d'entretien\n"
        "- Prairies fauchées tardivement et paillage des massifs\n"
        "- Enherbement des cimetières et désherbage mécanique\n"
        "- Information des habitants par des panneaux et une réunion publique",
        "Zéro pesticide depuis trois ans, 20 % de temps de tonte en moins et un retour de la flore locale observé.",
        "Matériel de désherbage mécanique : 35 000 €, subventionné à 50 %.",
        20, "Service espaces verts de la ville.",
        ("gestion différenciée", "zéro phyto", "biodiversité", "espaces verts"),
        ((_c("12145"), "inspired"),),
    ),
)


def plan_practices(plan: DemoPlan, seed: int) -> list[PlannedPractice]:
    """Who wrote each sheet (an agent of the collectivity that ran it), when it was published,
    and who declared its reuses (the representative of each reusing collectivity)."""
    # A stream of its own: drawing here leaves the offers and needs of the plan unchanged.
    rng = random.Random(f"practices-{seed}")
    agents: dict[Key, list[str]] = {}
    representatives: dict[Key, str] = {}
    for user in plan.users:
        for role in user.roles:
            if role.role == "agent" and role.collectivity:
                agents.setdefault(role.collectivity, []).append(user.email)
            elif role.role == "representative" and role.collectivity:
                representatives.setdefault(role.collectivity, user.email)
    planned = []
    for text in PRACTICES:
        published = rng.randint(60, 420)
        reuses = []
        for collectivity, stage in text.reuses:
            inspired = rng.randint(5, published - 5)
            implemented = rng.randint(0, inspired - 1) if stage == "implemented" else None
            reuses.append(PlannedReuse(collectivity, representatives[collectivity], stage,
                                       inspired, implemented))
        author = rng.choice(sorted(agents[text.collectivity]))
        planned.append(PlannedPractice(text, author, published, tuple(reuses)))
    return planned
