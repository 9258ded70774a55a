"""The demo's reference data, from docs/domain.md: four learning networks in their first year, the
councils and providers recruited through, and the people who take part.

Plain data only; ``samen.demo.seed`` turns it into rows. Texts are content, written in Dutch
as the people in the demo would write them; they are not user-interface strings."""

import datetime
from decimal import Decimal

from evaluations.models import FeedbackKind, QuestionKind, RespondentGroup
from experts.models import (
    ConsentPurpose,
    Expertise,
    ExpertKind,
    ExpertRole,
    ExpertStatus,
    OrganisationKind,
    RecruitmentChannel,
    TrainingKind,
)
from participation.models import (
    ActivityKind,
    ActivityStatus,
    FeeUnit,
    LadderLevel,
    PaymentScheme,
)

# One password for every demo account; never used outside a demo (the command refuses to run
# in production without --force).
DEMO_PASSWORD = "samen-demo-2025"

D = datetime.date

THEMES = ["Jeugdzorg", "Pleegzorg", "GGZ", "Scheiding", "Armoede", "Huiselijk geweld"]

# name: (kind, place)
ORGANISATIONS = {
    "Cliëntenraad Jeugdformaat": (OrganisationKind.CLIENT_COUNCIL, "Den Haag"),
    "Cliëntenraad Cardea": (OrganisationKind.CLIENT_COUNCIL, "Leiden"),
    "Cliëntenraad Horizon": (OrganisationKind.CLIENT_COUNCIL, "Rotterdam"),
    "Cliëntenraad Curium": (OrganisationKind.CLIENT_COUNCIL, "Oegstgeest"),
    "Enver": (OrganisationKind.CARE_PROVIDER, "Rotterdam"),
    "ASVZ": (OrganisationKind.CARE_PROVIDER, "Sliedrecht"),
    "Youz": (OrganisationKind.CARE_PROVIDER, "Leiden"),
    "Gemeente Leiden": (OrganisationKind.MUNICIPALITY, "Leiden"),
    "Hogeschool Leiden": (OrganisationKind.SCHOOL, "Leiden"),
}

# key: organisation, date, channel, what happened, young people reached, parents reached
RECRUITMENT_CONTACTS = {
    "jeugdformaat": (
        "Cliëntenraad Jeugdformaat",
        D(2023, 11, 14),
        RecruitmentChannel.COUNCIL_MEETING,
        "Samen voorgesteld in de vergadering van de cliëntenraad",
        2,
        0,
    ),
    "cardea": (
        "Cliëntenraad Cardea",
        D(2023, 11, 28),
        RecruitmentChannel.COUNCIL_MEETING,
        "Uitleg over de leernetwerken en de vergoeding",
        2,
        1,
    ),
    "horizon": (
        "Cliëntenraad Horizon",
        D(2023, 12, 5),
        RecruitmentChannel.EMAIL,
        "Oproep gemaild aan de leden van de cliëntenraad",
        1,
        0,
    ),
    "curium": (
        "Cliëntenraad Curium",
        D(2024, 1, 16),
        RecruitmentChannel.COUNCIL_MEETING,
        "Kennismaking met de jongeren van de cliëntenraad",
        3,
        0,
    ),
    "youz": (
        "Youz",
        D(2024, 2, 6),
        RecruitmentChannel.PHONE,
        "Gebeld met de coördinator cliëntparticipatie",
        1,
        0,
    ),
    "evening": (
        "Enver",
        D(2024, 3, 12),
        RecruitmentChannel.INFORMATION_EVENING,
        "Wervingsavond voor ouders op de locatie van Enver",
        0,
        3,
    ),
}

# name: (kind, given by, hours, counts as trained expertise)
TRAININGS = {
    "ExpEx-training": (TrainingKind.EXPEX, "Hogeschool Leiden", Decimal("80"), True),
    "Basistraining ervaringsdeskundige ouder": (
        TrainingKind.PARENT_BASIC,
        "Werkplaats SAMEN",
        Decimal("12"),
        False,
    ),
    "Intervisie ervaringsdeskundigen": (
        TrainingKind.INTERVISION,
        "Werkplaats SAMEN",
        Decimal("2"),
        False,
    ),
}

# key: name, payment scheme, role ("" is every role), unit, amount, valid from.
# The volunteer allowance per hour is the same for youth and parents and stays under the lowest
# hourly maximum (under 21) of 2024 and 2025, so it is tax-free for everyone.
FEE_RATES = {
    "allowance": (
        "Vrijwilligersvergoeding per uur",
        PaymentScheme.VOLUNTEER_ALLOWANCE,
        "",
        FeeUnit.HOUR,
        Decimal("3.25"),
        D(2024, 1, 1),
    ),
    "paid_hour": (
        "Honorarium ervaringsdeskundige per uur",
        PaymentScheme.PAID_FEE,
        "",
        FeeUnit.HOUR,
        Decimal("35.00"),
        D(2024, 1, 1),
    ),
    "guest_lecture": (
        "Gastles per keer",
        PaymentScheme.PAID_FEE,
        ExpertRole.EDUCATION,
        FeeUnit.SESSION,
        Decimal("90.00"),
        D(2024, 1, 1),
    ),
}

# Belastingdienst (docs/domain.md): per hour 21+, per hour under 21, per month, per year.
ALLOWANCE_LIMITS = {
    2023: (Decimal("5.00"), Decimal("2.75"), Decimal("190"), Decimal("1900")),
    2024: (Decimal("5.50"), Decimal("3.25"), Decimal("210"), Decimal("2100")),
    2025: (Decimal("5.60"), Decimal("3.30"), Decimal("210"), Decimal("2100")),
}

COORDINATOR = ("coordinator@samen.demo", "Carla Coördinator")
ADMIN = ("beheer@samen.demo", "Bram Beheer")

NETWORKS = {
    "integraal-werken": {
        "name": "Integraal Werken",
        "theme": "Eén gezin, één plan: zorg, school en gemeente werken samen",
        "started_on": D(2024, 1, 15),
        "members": ["Enver", "Gemeente Leiden", "Hogeschool Leiden"],
        "lead": ("trekker.integraal@samen.demo", "Iris de Wit"),
        "past": "Wat betekent integraal werken voor een gezin?",
        "upcoming": "Eén plan voor het hele gezin",
    },
    "normaliseren": {
        "name": "Normaliseren",
        "theme": "Gewone zorgen gewoon houden: minder zware hulp waar dat kan",
        "started_on": D(2024, 1, 22),
        "members": ["Youz", "Gemeente Leiden"],
        "lead": ("trekker.normaliseren@samen.demo", "Nadia Bouali"),
        "past": "Wanneer is iets een gewone zorg?",
        "upcoming": "Hulp dichtbij: de wijk en de school",
    },
    "kwetsbare-gezinnen": {
        "name": "Kwetsbare Gezinnen",
        "theme": "Steun voor gezinnen met veel problemen tegelijk",
        "started_on": D(2024, 2, 5),
        "members": ["ASVZ", "Enver", "Hogeschool Leiden"],
        "lead": ("trekker.kwetsbaregezinnen@samen.demo", "Karin van Dam"),
        "past": "Wat helpt een gezin echt?",
        "upcoming": "Geldzorgen en opvoeden",
    },
    "complexe-scheidingen": {
        "name": "Complexe Scheidingen",
        "theme": "Kinderen uit de knel bij een vechtscheiding",
        "started_on": D(2024, 2, 12),
        "members": ["Youz", "Gemeente Leiden"],
        "lead": ("trekker.scheidingen@samen.demo", "Sander Hoekstra"),
        "past": "De stem van het kind bij een scheiding",
        "upcoming": "Samen ouder blijven na de scheiding",
    },
}

# Date of birth "under 16": 1 January fifteen years ago, so the expert is 15 all year.
UNDER_16 = "under_16"

# key (the e-mail is key@samen.demo): the expert's profile. "account": the expert logs in.
EXPERTS = {
    "sanne": {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.EXPERTISE,
        "date_of_birth": D(2002, 6, 3),
        "city": "Leiden",
        "hours": Decimal("12"),
        "when": "Doordeweeks na 15.00 uur",
        "themes": ["Jeugdzorg", "GGZ"],
        "roles": [ExpertRole.CONNECTING, ExpertRole.EDUCATION],
        "recruited": "curium",
        "account": True,
        "bio": "Ik ben 22 en heb zelf jeugdhulp gehad. Ik wil dat jongeren gehoord worden.",
    },
    "daan": {
        "first_name": "Daan",
        "last_name": "Jansen",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.EXPERTISE,
        "date_of_birth": D(2005, 9, 21),
        "city": "Katwijk",
        "hours": Decimal("8"),
        "when": "Liefst online, op woensdag",
        "themes": ["Pleegzorg", "Scheiding"],
        "roles": [ExpertRole.ADVOCACY, ExpertRole.RESEARCH_POLICY],
        "recruited": "jeugdformaat",
        "account": True,
        "bio": "Ik woonde vier jaar in een pleeggezin en studeer nu social work.",
    },
    "noor": {
        "first_name": "Noor",
        "last_name": "El Amrani",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.EXPERTISE,
        "date_of_birth": D(2000, 2, 11),
        "city": "Leiden",
        "hours": Decimal("10"),
        "when": "Maandag en donderdag",
        "themes": ["Jeugdzorg", "Armoede"],
        "roles": [ExpertRole.RESEARCH_POLICY, ExpertRole.EDUCATION],
        "recruited": "cardea",
    },
    "lucas": {
        "first_name": "Lucas",
        "last_name": "Bakker",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.EXPERTISE,
        "date_of_birth": D(2004, 12, 1),
        "city": "Alphen aan den Rijn",
        "hours": Decimal("6"),
        "when": "Na school of werk, vanaf 16.00 uur",
        "themes": ["GGZ"],
        "roles": [ExpertRole.EMOTIONAL_SUPPORT, ExpertRole.CONNECTING],
        "recruited": "curium",
    },
    "emma": {
        "first_name": "Emma",
        "last_name": "Visser",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.KNOWLEDGE,
        "date_of_birth": UNDER_16,
        "city": "Leiderdorp",
        "hours": Decimal("4"),
        "when": "Alleen in de schoolvakanties of na school",
        "themes": ["Huiselijk geweld"],
        "roles": [ExpertRole.CONNECTING],
        "recruited": "jeugdformaat",
        "coach": "Petra Visser (moeder)",
        "parental_consent_by": "Petra Visser",
    },
    "milan": {
        "first_name": "Milan",
        "last_name": "de Boer",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.EXPERTISE,
        "date_of_birth": D(2001, 4, 30),
        "city": "Den Haag",
        "hours": Decimal("8"),
        "when": "Vrijdag",
        "themes": ["Scheiding"],
        "roles": [ExpertRole.NAVIGATING, ExpertRole.ADVOCACY],
        "recruited": "horizon",
    },
    "yara": {
        "first_name": "Yara",
        "last_name": "Mulder",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.KNOWLEDGE,
        "date_of_birth": D(2006, 8, 14),
        "city": "Leiden",
        "hours": Decimal("4"),
        "when": "Weekend",
        "themes": ["Pleegzorg"],
        "roles": [ExpertRole.EDUCATION],
        "recruited": "youz",
        "status": ExpertStatus.CANDIDATE,
    },
    "mohamed": {
        "first_name": "Mohamed",
        "last_name": "Yilmaz",
        "kind": ExpertKind.PARENT,
        "expertise": Expertise.KNOWLEDGE,
        "date_of_birth": D(1983, 5, 9),
        "city": "Leiden",
        "hours": Decimal("6"),
        "when": "Avonden",
        "themes": ["Armoede", "Jeugdzorg"],
        "roles": [ExpertRole.CONNECTING, ExpertRole.RESEARCH_POLICY],
        "recruited": "evening",
        "account": True,
        "bio": "Vader van drie kinderen. Wij kregen jarenlang hulp van veel instanties tegelijk.",
    },
    "ingrid": {
        "first_name": "Ingrid",
        "last_name": "Koster",
        "kind": ExpertKind.PARENT,
        "expertise": Expertise.KNOWLEDGE,
        "date_of_birth": D(1979, 10, 17),
        "city": "Voorschoten",
        "hours": Decimal("4"),
        "when": "Overdag, niet op dinsdag",
        "themes": ["Scheiding", "Huiselijk geweld"],
        "roles": [ExpertRole.EMOTIONAL_SUPPORT],
        "recruited": "cardea",
    },
    "fatima": {
        "first_name": "Fatima",
        "last_name": "Ouali",
        "kind": ExpertKind.PARENT,
        "expertise": Expertise.KNOWLEDGE,
        "date_of_birth": D(1986, 1, 25),
        "city": "Leiden",
        "hours": Decimal("4"),
        "when": "Ochtenden",
        "themes": ["Armoede"],
        "roles": [ExpertRole.CONNECTING],
        "recruited": "evening",
        "status": ExpertStatus.CANDIDATE,
    },
    "kees": {
        "first_name": "Kees",
        "last_name": "Willems",
        "kind": ExpertKind.PARENT,
        "expertise": Expertise.KNOWLEDGE,
        "date_of_birth": D(1975, 7, 2),
        "city": "Oegstgeest",
        "hours": Decimal("2"),
        "when": "Online, 's avonds",
        "themes": ["GGZ"],
        "roles": [ExpertRole.ADVOCACY],
        "recruited": "evening",
        "status": ExpertStatus.CANDIDATE,
    },
}

# Everyone consents to taking part and to being contacted; those with themes also to recording
# them (special-category data).
CONSENT_PURPOSES = [ConsentPurpose.PARTICIPATION, ConsentPurpose.CONTACT]

# expert, training, started, completed (None: still in training)
TRAINING_RECORDS = [
    ("sanne", "ExpEx-training", D(2023, 2, 1), D(2023, 6, 30)),
    ("daan", "ExpEx-training", D(2023, 9, 1), D(2024, 1, 31)),
    ("noor", "ExpEx-training", D(2022, 9, 1), D(2023, 1, 31)),
    ("lucas", "ExpEx-training", D(2023, 9, 1), D(2024, 1, 31)),
    ("milan", "ExpEx-training", D(2022, 2, 1), D(2022, 6, 30)),
    ("emma", "ExpEx-training", D(2024, 9, 1), None),
    ("yara", "ExpEx-training", D(2024, 9, 1), None),
    ("mohamed", "Basistraining ervaringsdeskundige ouder", D(2024, 4, 8), D(2024, 6, 10)),
    ("sanne", "Intervisie ervaringsdeskundigen", D(2024, 3, 4), D(2024, 3, 4)),
    ("daan", "Intervisie ervaringsdeskundigen", D(2024, 3, 4), D(2024, 3, 4)),
    ("noor", "Intervisie ervaringsdeskundigen", D(2024, 3, 4), D(2024, 3, 4)),
]

PLACEMENT_EXPECTATIONS = (
    "Meedoen aan de bijeenkomsten en de voorbespreking, en meedenken over de plannen."
)
PLACEMENT_ATTENDANCE = "Bij minstens drie van de vier bijeenkomsten per jaar"
PLACEMENT_CONTINUITY = "Minstens een jaar; stoppen meld je een maand van tevoren"

# The year-one state: Integraal Werken 3/0, Normaliseren 2/0, Kwetsbare Gezinnen 3/1,
# Complexe Scheidingen 2/1 active ExpEx/parents. Trained expertise is paid; experiential
# knowledge gets the volunteer allowance.
# expert, network, ladder level, roles, hours per month, fee, start, status (end, reason)
PLACEMENTS = [
    ("sanne", "integraal-werken", LadderLevel.CO_PRODUCE, [ExpertRole.CONNECTING], 4, "paid_hour"),
    ("daan", "integraal-werken", LadderLevel.ADVISE, [ExpertRole.ADVOCACY], 3, "paid_hour"),
    (
        "noor",
        "integraal-werken",
        LadderLevel.CO_DECIDE,
        [ExpertRole.RESEARCH_POLICY],
        4,
        "paid_hour",
    ),
    ("noor", "normaliseren", LadderLevel.ADVISE, [ExpertRole.RESEARCH_POLICY], 2, "paid_hour"),
    ("lucas", "normaliseren", LadderLevel.CONSULT, [ExpertRole.EMOTIONAL_SUPPORT], 2, "paid_hour"),
    (
        "sanne",
        "kwetsbare-gezinnen",
        LadderLevel.CO_PRODUCE,
        [ExpertRole.CONNECTING, ExpertRole.EDUCATION],
        4,
        "paid_hour",
    ),
    ("lucas", "kwetsbare-gezinnen", LadderLevel.ADVISE, [ExpertRole.CONNECTING], 3, "paid_hour"),
    ("emma", "kwetsbare-gezinnen", LadderLevel.CONSULT, [ExpertRole.CONNECTING], 2, "allowance"),
    (
        "mohamed",
        "kwetsbare-gezinnen",
        LadderLevel.CO_PRODUCE,
        [ExpertRole.CONNECTING, ExpertRole.RESEARCH_POLICY],
        4,
        "allowance",
    ),
    ("daan", "complexe-scheidingen", LadderLevel.ADVISE, [ExpertRole.ADVOCACY], 3, "paid_hour"),
    ("milan", "complexe-scheidingen", LadderLevel.INFORM, [ExpertRole.NAVIGATING], 2, "paid_hour"),
    (
        "ingrid",
        "complexe-scheidingen",
        LadderLevel.CONSULT,
        [ExpertRole.EMOTIONAL_SUPPORT],
        2,
        "allowance",
    ),
]
PLACEMENT_START = D(2024, 3, 1)

# An ended placement: shows that only active placements count towards the composition.
ENDED_PLACEMENTS = [
    (
        "milan",
        "normaliseren",
        LadderLevel.ADVISE,
        [ExpertRole.NAVIGATING],
        2,
        "paid_hour",
        D(2024, 3, 1),
        D(2024, 9, 30),
        "Milan koos voor één netwerk, naast zijn nieuwe baan.",
    ),
]

MEETING_AGENDA = (
    "1. Welkom en voorstelronde\n2. Het thema in break-out groepen\n3. Wat nemen we mee?"
)
MEETING_FEEDBACK = (
    "Jullie tip om minder vakjargon te gebruiken is overgenomen: de nieuwe werkwijze is "
    "herschreven in gewone taal."
)
PROJECT_TITLE = "Folder in gewone taal voor ouders"
PROJECT_DESCRIPTION = "Ouders en ExpEx schrijven samen een folder over de hulp die er is."

# expert, network, meeting ("plenary" or "prep", the past one), hours, travel costs, status
ACTIVITY_LOGS = [
    ("sanne", "kwetsbare-gezinnen", "plenary", "2", "0", ActivityStatus.APPROVED),
    ("daan", "integraal-werken", "plenary", "2", "8.60", ActivityStatus.APPROVED),
    ("noor", "normaliseren", "prep", "1", "0", ActivityStatus.APPROVED),
    ("lucas", "normaliseren", "plenary", "2", "0", ActivityStatus.SUBMITTED),
    ("mohamed", "kwetsbare-gezinnen", "plenary", "2", "6.40", ActivityStatus.SUBMITTED),
    ("emma", "kwetsbare-gezinnen", "plenary", "1.5", "0", ActivityStatus.SUBMITTED),
    ("ingrid", "complexe-scheidingen", "plenary", "2", "0", ActivityStatus.SUBMITTED),
]
ACTIVITY_KIND = {"plenary": ActivityKind.MEETING, "prep": ActivityKind.PREP}

# Requests, with dates in days from today. "match": the expert proposed for it.
REQUESTS = [
    {
        "title": "Gastles over jeugdhulp vanuit eigen ervaring",
        "question": (
            "Wil je aan tweedejaars studenten social work vertellen hoe jij de jeugdhulp hebt "
            "beleefd? Daarna stellen zij vragen."
        ),
        "organisation": "Hogeschool Leiden",
        "contact_name": "Marieke Docent",
        "contact_email": "m.docent@hogeschool-leiden.demo",
        "perspective": "youth",
        "expertise_wanted": "expertise",
        "role": ExpertRole.EDUCATION,
        "ladder_level": LadderLevel.INFORM,
        "expected_hours": Decimal("3"),
        "experts_wanted": 2,
        "payment_scheme": PaymentScheme.PAID_FEE,
        "fee": "guest_lecture",
        "themes": ["Jeugdzorg"],
        "competencies": "Je vertelt je verhaal graag aan een groep van 30 studenten.",
        "mode": "on_site",
        "location": "Hogeschool Leiden, Zernikedreef 11",
        "starts_in": 35,
        "respond_in": 14,
    },
    {
        "title": "Interviewvragen voor onderzoek naar gezinsplannen",
        "question": (
            "Het leernetwerk onderzoekt hoe gezinnen een gezinsplan ervaren. Wil je meeschrijven "
            "aan de vragen, zodat ze begrijpelijk zijn voor ouders?"
        ),
        "network": "kwetsbare-gezinnen",
        "perspective": "parent",
        "expertise_wanted": "knowledge",
        "role": ExpertRole.RESEARCH_POLICY,
        "ladder_level": LadderLevel.CO_PRODUCE,
        "expected_hours": Decimal("4"),
        "experts_wanted": 2,
        "payment_scheme": PaymentScheme.VOLUNTEER_ALLOWANCE,
        "fee": "allowance",
        "themes": ["Armoede"],
        "competencies": "Je leest graag mee en zegt het als iets niet duidelijk is.",
        "mode": "online",
        "location": "",
        "starts_in": 21,
        "respond_in": 10,
    },
    {
        "title": "Meelezen met de beleidsnota jeugdhulp",
        "question": (
            "De gemeente schrijft een nieuwe nota over jeugdhulp. Wil je lezen of de plannen "
            "aansluiten bij wat jongeren nodig hebben?"
        ),
        "organisation": "Gemeente Leiden",
        "contact_name": "Tom Beleid",
        "contact_email": "t.beleid@leiden.demo",
        "perspective": "either",
        "expertise_wanted": "expertise",
        "role": ExpertRole.RESEARCH_POLICY,
        "ladder_level": LadderLevel.ADVISE,
        "expected_hours": Decimal("2"),
        "experts_wanted": 1,
        "payment_scheme": PaymentScheme.PAID_FEE,
        "fee": "paid_hour",
        "themes": ["Jeugdzorg", "Armoede"],
        "competencies": "Je kunt een tekst van tien pagina's lezen en je mening geven.",
        "mode": "either",
        "location": "Stadhuis Leiden",
        "starts_in": 28,
        "respond_in": 7,
        "match": (
            "noor",
            "De nota lezen en in één gesprek van een uur je reactie geven.",
            Decimal("2"),
        ),
    },
]

EVALUATION_ROUND = {
    "title": "Tips & tops jaar 1",
    "year": 2024,
    "opens_on": D(2024, 11, 1),
    "closes_on": D(2024, 12, 1),
}
# kind, group, text: the tops and tips named in the first year's evaluation.
FEEDBACK = [
    (FeedbackKind.TOP, RespondentGroup.EXPERT, "De voorbespreking met de trekker"),
    (FeedbackKind.TOP, RespondentGroup.EXPERT, "De sfeer in de groep"),
    (FeedbackKind.TOP, RespondentGroup.EXPERT, "De break-out rooms"),
    (FeedbackKind.TOP, RespondentGroup.EXPERT, "Respectvolle omgang met elkaar"),
    (FeedbackKind.TOP, RespondentGroup.EXPERT, "De coördinator"),
    (FeedbackKind.TOP, RespondentGroup.LEAD, "Online bijeenkomsten"),
    (FeedbackKind.TOP, RespondentGroup.LEAD, "De terugkoppeling"),
    (FeedbackKind.TOP, RespondentGroup.LEAD, "De bestaande afspraken"),
    (FeedbackKind.TIP, RespondentGroup.EXPERT, "Let op het taalgebruik in documenten"),
    (
        FeedbackKind.TIP,
        RespondentGroup.EXPERT,
        "Een maatje voor ervaringsdeskundigen tijdens bijeenkomsten",
    ),
    (FeedbackKind.TIP, RespondentGroup.EXPERT, "Laat merken: jouw mening telt"),
    (FeedbackKind.TIP, RespondentGroup.LEAD, "Zeg vanuit welk perspectief je deelname verwacht"),
    (FeedbackKind.TIP, RespondentGroup.LEAD, "Groepen van maximaal 7 tot 10 mensen"),
    (FeedbackKind.TIP, RespondentGroup.LEAD, "Evalueer het aanmeldsysteem"),
    (FeedbackKind.TIP, RespondentGroup.LEAD, "Betrek meer ouders"),
]

QUESTIONNAIRE = {
    "title": "Ervaringen van ouders met jeugdhulp",
    "intro": (
        "Kun je niet naar de bijeenkomsten komen? Jouw ervaring telt toch. "
        "Het invullen duurt 5 minuten en is anoniem."
    ),
    "questions": [
        ("Wat ging goed in de hulp voor jouw gezin?", QuestionKind.TEXT, True),
        ("Hoe goed werd er naar jou geluisterd?", QuestionKind.SCALE, True),
        ("Wat wil je de professionals in het leernetwerk meegeven?", QuestionKind.TEXT, False),
    ],
}
