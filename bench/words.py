"""The phrases the benchmark's seed writes its sentences of (seed_benchmark), and which
`bench.py` searches for: no Django here, the benchmark's driver imports it."""

SUBJECTS = [
    "Die Landesregierung",
    "Das Ministerium",
    "Der Freistaat",
    "Die Staatssekretärin",
    "Der Minister",
    "Die Förderbank",
    "Das Landesamt",
    "Die Arbeitsgruppe",
    "Der Beirat",
    "Die Kommission",
    "Das Kabinett",
    "Die Ministerin",
]
VERBS = [
    "unterstützt",
    "fördert",
    "stellt vor",
    "beschließt",
    "prüft",
    "startet",
    "verlängert",
    "erweitert",
    "bewertet",
    "veröffentlicht",
    "begleitet",
    "plant",
]
OBJECTS = [
    "neue Radwege im ländlichen Raum",
    "den Ausbau der Glasfasernetze",
    "ein Programm für junge Unternehmen",
    "die Sanierung von Schulgebäuden",
    "Investitionen in erneuerbare Energien",
    "die Digitalisierung der Verwaltung",
    "Projekte der Kultur- und Kreativwirtschaft",
    "den Hochwasserschutz an der Elbe",
    "Ausbildungsplätze im Handwerk",
    "die Forschung an Hochschulen",
    "den öffentlichen Nahverkehr",
    "die medizinische Versorgung auf dem Land",
    "Maßnahmen gegen den Fachkräftemangel",
    "die Förderung des Tourismus",
]
CLAUSES = [
    "wie aus dem aktuellen Bericht hervorgeht",
    "nach Abstimmung mit den Kommunen",
    "im Rahmen des Landeshaushalts",
    "gemeinsam mit den Kammern und Verbänden",
    "auf der Grundlage einer unabhängigen Studie",
    "für die kommenden fünf Jahre",
    "mit einem Volumen von mehreren Millionen Euro",
    "in allen Regionen des Landes",
]
