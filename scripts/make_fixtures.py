#!/usr/bin/env python3
"""Generate blendscan's spreadsheet import fixtures (tests/fixtures/) with real writers.

    make_fixtures.py all   [--out DIR]      write every fixture, read each back, write README.md + expected.json
    make_fixtures.py check [--out DIR]      only read the fixtures back and compare them with the spec
    make_fixtures.py coordinators [--out DIR] questionnaires as coordinators build them (issue 17), with
                                            their own expected.json, in tests/fixtures/coordinators/
    make_fixtures.py bench OUT.xlsx|OUT.csv [--rows 5000] [--items 150] [--seed N] [--format xlsx|csv]
                                            large benchmark workbook (never committed)

Writers: openpyxl and XlsxWriter (Excel-compatible writers), LibreOffice Calc (`soffice --headless
--convert-to`), Python's csv module for the web tools that cannot run here (Google Forms, LimeSurvey,
Qualtrics), Python's zipfile for the zip bomb. Everything is deterministic: fixed seeds, fixed timestamps,
fixed workbook creation dates and fixed zip entry times. Run it through scripts/make-fixtures.sh, which
installs the pinned writers first.

After writing, a small reference reader built from the import rules (header recognition, labels, missing
labels, dates, de-duplication by e-mail) reads every fixture back with python-calamine (the Python binding
of the calamine crate the importer uses), openpyxl and csv, asserts the values each fixture was meant to
hold, and writes README.md and expected.json from what it read, so the documentation is what is in the
files. `check` runs the writers in a scratch directory to get the spec and checks the files in --out.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures"
FIXED_CREATED = dt.datetime(2026, 3, 1, 9, 0, 0)
ZIP_TIME = (2026, 3, 1, 9, 0, 0)
SEED = 20260314

# --------------------------------------------------------------------------------------------------
# The part of the catalogue the fixtures use (copied here so fixtures do not change when texts are
# edited; `check` verifies codes and scales against framework/ and checklists/).
# --------------------------------------------------------------------------------------------------

ITEMS: dict[str, tuple[str, str, str]] = {
    # code: (scale, nl text, en text)
    "A1Q1": ("maturity", "Onze organisatie heeft beschreven welke meerwaarde onlinehulp heeft voor onze doelgroepen.",
             "Our organisation has described what added value online help brings to our target groups."),
    "A1Q2": ("maturity", "We hebben vastgelegd waarom we voor blended ondersteuning kiezen, voor cliënten én voor medewerkers en organisatie.",
             "We have recorded why we choose blended support, for clients as well as for staff and the organisation."),
    "A2Q1": ("maturity", "We ontwikkelen onze visie en ons online aanbod samen met (vertegenwoordigers van) onze doelgroep.",
             "We develop our vision and our online offer together with (representatives of) our target group."),
    "A2Q3": ("maturity", "We toetsen ons online aanbod op toegankelijkheid, ook voor atypische gebruikers.",
             "We check our online offer for accessibility, including for atypical users."),
    "A3Q2": ("maturity", "Ons online aanbod is afgestemd op dat van partners in onze regio, zodat cliënten een samenhangend aanbod krijgen.",
             "Our online offer is aligned with that of partners in our region, so clients get a coherent offer."),
    "A4Q3": ("maturity", "Het is duidelijk welke medewerkers online ondersteuning bieden en hoeveel keuzevrijheid ze daarin hebben.",
             "It is clear which staff offer online support and how much freedom of choice they have in it."),
    "A5Q2": ("maturity", "Medewerkers hebben beveiligde internettoegang, zowel in de organisatie als onderweg.",
             "Staff have secure internet access, both on the premises and on the road."),
    "A6Q1": ("maturity", "We hebben beschreven welke digitale competenties we per functie van medewerkers verwachten.",
             "We have described which digital competences we expect from staff in each role."),
    "A6Q3": ("maturity", "Medewerkers kunnen terecht bij een mediacoach of digihelper binnen (het netwerk van) de organisatie.",
             "Staff can turn to a media coach or digital helper within (the network of) the organisation."),
    "A7Q2": ("maturity", "We hebben een GDPR-conform beleid voor het bewaren, beheren en inkijken van digitale cliëntgegevens.",
             "We have a GDPR-compliant policy for storing, managing and accessing digital client data."),
    "A8Q1": ("maturity", "De informatie over ons online aanbod is helder en afgestemd op onze doelgroepen.",
             "The information about our online offer is clear and tailored to our target groups."),
    "A9Q2": ("maturity", "Medewerkers krijgen tijd om blended aanbod te ontwikkelen en uit te proberen (innovatieruimte).",
             "Staff get time to develop and try out blended offer (room for innovation)."),
    "C1K1": ("proficiency", "Ik weet wat digitale uitsluiting en digitale inclusie betekenen.",
             "I know what digital exclusion and digital inclusion mean."),
    "C1S2": ("proficiency", "Ik draag bij aan de digitale inclusie van de doelgroep met eigen initiatieven of door bestaande te steunen.",
             "I contribute to clients' digital inclusion through my own initiatives or by supporting existing ones."),
    "C1A1": ("proficiency", "Ik zet in op digitale inclusie van de doelgroep en ben me bewust van mijn eigen rol en positie daarin.",
             "I am committed to clients' digital inclusion and aware of my own role and position in it."),
    "C2K1": ("proficiency", "Ik begrijp hoe mediatisering welzijn en samenleven beïnvloedt (bv. schermverslaving, eenzaamheid).",
             "I understand how mediatisation affects well-being and living together (e.g. screen addiction, loneliness)."),
    "C2S3": ("proficiency", "Ik kan privacyveilig werken met apps en internet.",
             "I can work with apps and the internet in a privacy-safe way."),
    "C3A1": ("proficiency", "Ik heb interesse in de digitale sterktes en mogelijkheden van de doelgroep.",
             "I am interested in clients' digital strengths and possibilities."),
    "C4S1": ("proficiency", "Ik kan werken met de online tools van mijn praktijk (communicatie, apps, registratie, digitaal dossier).",
             "I can work with the online tools used in my practice (communication, apps, registration, digital files)."),
    "C5K2": ("proficiency", "Ik ken de aandachtspunten om online helder en inclusief te informeren.",
             "I know the points of attention for informing people online clearly and inclusively."),
    "C5S1": ("proficiency", "Ik kan relevante algemene en persoonsgebonden info voor de doelgroep vinden, beoordelen, gebruiken en delen.",
             "I can find, assess, use and share relevant general and personal information for clients."),
    "C6K1": ("proficiency", "Ik ken doel en werking van het individueel dossier, het cliëntportaal en het digitale samenwerkingsplatform.",
             "I know the purpose and workings of the individual client file, the client portal and the digital collaboration platform."),
    "C7K1": ("proficiency", "Ik ken instrumenten die helpen bij het ontwikkelen van een visie op blended aanbod en bij de implementatie ervan.",
             "I know instruments that help develop a vision on a blended offer and improve its implementation."),
    "POS1": ("checklist", "We weten voor welke doelgroepen we een online aanbod inzetten en voor welke niet.",
             "We know for which target groups we use an online offer and for which we do not."),
    "POS2": ("checklist", "We weten welke medewerkers online ondersteuning bieden en welke niet.",
             "We know which staff offer online support and which do not."),
    "VIS1": ("checklist", "We weten waarom we blended werken met het oog op kinderen, jongeren, gezinnen en hun netwerk.",
             "We know why we work blended with a view to children, young people, families and their network."),
    "PAR1": ("position", "De digitale kloof erkennen tegenover e-inclusief werken",
             "Acknowledging the digital divide versus working e-inclusively"),
    "PAR2": ("position", "Online aanbod als vrije keuze tegenover online aanbod als vanzelfsprekendheid",
             "Online offer as an option versus online offer as a matter of course"),
}

SCALES: dict[str, tuple[int, int, dict[int, tuple[str, str]]]] = {
    "maturity": (0, 4, {0: ("Niet aanwezig", "Not in place"), 1: ("Verkennend", "Exploring"), 2: ("In opbouw", "Developing"),
                        3: ("Toegepast", "Applied"), 4: ("Verankerd", "Embedded")}),
    "proficiency": (1, 5, {1: ("Nog niet", "Not yet"), 2: ("Beginnend", "Beginner"), 3: ("Zelfstandig", "Independent"),
                           4: ("Gevorderd", "Advanced"), 5: ("Expert", "Expert")}),
    "checklist": (0, 2, {0: ("Nee", "No"), 1: ("Gedeeltelijk", "Partly"), 2: ("Ja", "Yes")}),
    "position": (1, 5, {1: ("Volledig links", "Fully left"), 2: ("Eerder links", "Rather left"), 3: ("Evenwicht", "Balanced"),
                        4: ("Eerder rechts", "Rather right"), 5: ("Volledig rechts", "Fully right")}),
}

DK, NA, EMPTY = "<dont_know>", "<not_applicable>", "<empty>"   # canonical "no answer" markers
MISSING_LABEL = {DK: ("Weet ik niet", "Don't know"), NA: ("Niet van toepassing", "Not applicable")}


def kind(code: str) -> str:
    if re.fullmatch(r"A\d+Q\d+", code):
        return "indicator"
    if re.fullmatch(r"C\d+[KSA]\d+", code):
        return "competence"
    return "checklist"


def scale_of(code: str) -> str:
    return ITEMS[code][0]


def col_letter(i: int) -> str:
    """0-based column index -> A, B, …, AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def label(code: str, v, lang: str, style: str = "label"):
    """Render a canonical answer (int or DK/NA/EMPTY) as a cell value."""
    li = 0 if lang == "nl" else 1
    if v == EMPTY:
        return None
    if v in (DK, NA):
        return MISSING_LABEL[v][li]
    lab = SCALES[scale_of(code)][2][v][li]
    return {"label": lab, "num": v, "numstr": str(v), "dash": f"{v} - {lab}", "dot": f"{v}. {lab}"}[style]


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def email_of(name: str, domain: str) -> str:
    first, _, last = name.partition(" ")
    f = re.sub(r"[^a-z]", "", strip_accents(first).lower())
    l = re.sub(r"[^a-z]", "", strip_accents(last).lower())
    return f"{f}.{l}@{domain}"


def work_times(rng: random.Random, first_day: dt.date, n: int, per_day: int, extra=()) -> list[dt.datetime]:
    """n - len(extra) times on working days between 8:00 and 18:00 (per_day a day, from first_day), plus the
    given extra times, sorted: survey tools list responses in the order they came in."""
    times, day = [], first_day
    while len(times) < n - len(extra):
        if day.weekday() < 5:
            for _ in range(min(per_day, n - len(extra) - len(times))):
                times.append(dt.datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))
        day += dt.timedelta(days=1)
    return sorted(times + list(extra))


def gen_answers(rng: random.Random, codes: list[str], n: int) -> list[dict[str, object]]:
    """Plausible, correlated answers: each respondent has a tendency, items vary around it."""
    out = []
    for _ in range(n):
        tendency = rng.random()
        row = {}
        for c in codes:
            lo, hi, _ = SCALES[scale_of(c)]
            v = lo + tendency * (hi - lo) + rng.gauss(0, 0.8)
            row[c] = int(min(hi, max(lo, round(v))))
        out.append(row)
    return out


# --------------------------------------------------------------------------------------------------
# Deterministic writers
# --------------------------------------------------------------------------------------------------

class FixedTimeZipFile(zipfile.ZipFile):
    """ZipFile whose entries all carry ZIP_TIME (openpyxl otherwise stamps the current time)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zi = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            zi.compress_type = self.compression if compress_type is None else compress_type
            zi.external_attr = 0o644 << 16
            zinfo_or_arcname = zi
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as fh:
            data = fh.read()
        return self.writestr(arcname or os.path.basename(filename), data, compress_type, compresslevel)


def openpyxl_save(wb, path: Path) -> None:
    """openpyxl's own ExcelWriter, with fixed document dates and fixed zip entry times."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = FIXED_CREATED
    wb.properties.modified = FIXED_CREATED
    archive = FixedTimeZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()


def xlsxwriter_book(path: Path, **options):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties({"created": FIXED_CREATED})
    return wb


def normalize_zip_times(path: Path) -> None:
    """Re-stamp every entry of a zip with ZIP_TIME; names, order, bytes and compression methods are
    kept. Used on LibreOffice's .ods/.xlsx, which otherwise carry the conversion time."""
    with zipfile.ZipFile(path) as zin:
        entries = [(i, zin.read(i.filename)) for i in zin.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zout:
        for info, data in entries:
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)
    tmp.replace(path)


class Soffice:
    """LibreOffice Calc in headless mode with a private, throw-away user profile."""

    def __init__(self, workdir: Path):
        self.profile = workdir / "lo-profile"
        self.exe = shutil.which("soffice") or shutil.which("libreoffice")
        if not self.exe:
            sys.exit("soffice not found: run scripts/make-fixtures.sh, which installs libreoffice-calc")

    def convert(self, src: Path, target: str, outdir: Path, infilter: str | None = None) -> None:
        cmd = [self.exe, f"-env:UserInstallation=file://{self.profile}", "--headless", "--norestore"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(outdir), str(src)]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            sys.exit(f"soffice failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")


CSV_UTF8_COMMA = "CSV:44,34,76,1"   # LibreOffice CSV import: comma, double quote, UTF-8, from line 1


# --------------------------------------------------------------------------------------------------
# Fixture builders. Each returns the spec the checker compares against: the answers it meant to write
# per data row (canonical ints or DK/NA/EMPTY), and what the README should say.
# --------------------------------------------------------------------------------------------------

SPECS: dict[str, dict] = {}


def spec(file, **kw):
    SPECS[file] = dict(file=file, **kw)
    return SPECS[file]


def msforms_nl(out: Path):
    import openpyxl

    rng = random.Random(SEED + 1)
    codes = ["A1Q1", "A1Q2", "A4Q3", "A6Q1", "A6Q3", "C1K1", "C1S2", "C1A1", "C2K1", "C2S3", "C4S1", "POS1", "PAR1"]
    people = [
        ("An Peeters", "Hulpverlener", "Team Noord"),
        ("Sofie Janssens", "Teamcoördinator", "Team Noord"),
        ("Jan Maes", "Stafmedewerker", "Stafdienst"),
        ("Lies Jacobs", "Maatschappelijk werker", "Onthaal"),
        ("Tom Mertens", "Vrijwilliger", "Onthaal"),
        ("Els Willems", "Begeleider", "Jongerenwerking"),
        ("Koen Claes", "Directeur", "Directie"),
        ("Nathalie Goossens", "Hulpverlener", "Team Zuid"),
        ("Pieter Wouters", "Kwaliteitscoördinator", "Stafdienst"),
        ("Hanne De Smet", "Consulent", "Team Zuid"),
        ("Fatima El Amrani", "Teamleider", "Jongerenwerking"),
        ("Sofie Janssens", "Teamcoördinator", "Team Noord"),   # second response of respondent 2
    ]
    answers = gen_answers(rng, codes, len(people))
    # the duplicate: first answer (row 3) differs from the second, later one (row 13)
    answers[1].update({"C1K1": 2, "A6Q3": 1, "POS1": 0})
    answers[11].update({"C1K1": 4, "A6Q3": 3, "POS1": 2})
    # missing answers as MS Forms exports them: label text or an empty cell (optional question skipped)
    answers[2]["A4Q3"] = DK
    answers[4]["A1Q2"] = DK
    answers[4]["C2S3"] = EMPTY
    answers[6]["C4S1"] = NA
    answers[9]["PAR1"] = DK
    answers[10]["A6Q1"] = EMPTY
    starts = work_times(rng, dt.date(2026, 3, 9), len(people), 2, extra=[dt.datetime(2026, 3, 19, 14, 3, 41)])
    ends = [s + dt.timedelta(minutes=rng.randint(4, 16), seconds=rng.randint(0, 59)) for s in starts]
    assert ends == sorted(ends) and starts[-1] == dt.datetime(2026, 3, 19, 14, 3, 41)

    def msdate(d):
        return f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}:{d.second:02d}"

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    header = ["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Tijdstip van laatste wijziging", "Functie", "Team"]
    header += [f"{ITEMS[c][1]} [{c}]" for c in codes]
    ws.append(header)
    for i, ((name, role, team), ans) in enumerate(zip(people, answers)):
        modified = msdate(ends[i] + dt.timedelta(days=1, minutes=7)) if i == 4 else None
        if i == 4:
            modified_f6 = modified
        row = [i + 1, msdate(starts[i]), msdate(ends[i]), email_of(name, "caw-demo.be"), name, modified, role, team]
        row += [label(c, ans[c], "nl") for c in codes]
        ws.append(row)
    openpyxl_save(wb, out / "msforms_nl.xlsx")
    em = email_of(people[1][0], "caw-demo.be")
    spec("msforms_nl.xlsx", tool="openpyxl 3.1.5", shape="Microsoft Forms export, Dutch (Blad1; dates as M/D/YYYY H:mm:ss text)",
         sheet="Blad1", codes=codes, answers=answers, rows=12, distinct=11, replaced=1,
         cells={"D3": em, "D13": em, "C3": msdate(ends[1]), "C13": msdate(ends[11]), "F6": modified_f6,
                "N3": "Beginnend", "N13": "Gevorderd", "M3": "Verkennend", "M13": "Toegepast", "T3": "Nee", "T13": "Ja"},
         notes=[f"Row 3 (ID 2, `{em}`, completed `{msdate(ends[1])}`) is replaced by row 13 (ID 12, same e-mail, completed "
                f"`{msdate(ends[11])}`): the later completion time wins. Winner: C1K1 (N13) `Gevorderd` = 4, A6Q3 (M13) `Toegepast` = 3, "
                "POS1 (T13) `Ja` = 2; the replaced row 3 has `Beginnend`, `Verkennend`, `Nee`.",
                f"`Begintijd` and `Tijd van voltooien` are text cells `M/D/YYYY H:mm:ss`, e.g. `{msdate(starts[0])}`.",
                f"`Tijdstip van laatste wijziging` (F) is ignored; only F6 holds a value (`{modified_f6}`).",
                "All answers are Dutch labels (`Zelfstandig`, `Toegepast`, `Evenwicht`, …) or a missing label / empty cell."])


def msforms_en(out: Path):
    rng = random.Random(SEED + 2)
    codes = ["A2Q1", "A2Q3", "A5Q2", "A7Q2", "C3A1", "C5S1", "C5K2", "C6K1", "C7K1", "POS2", "PAR2"]
    people = [
        ("Laura Vandenberghe", "Social worker", "North team"),
        ("Mohamed Haddad", "Team leader", "North team"),
        ("Julie Lambert", "Policy officer", "Staff office"),
        ("Thomas Dubois", "Volunteer", "Reception"),
        ("Sarah O'Neill", "Counsellor", "Youth work"),
        ("Lucas Martin", "Director", "Management"),
        ("Nina Kowalski", "Quality coordinator", "Staff office"),
        ("David Cohen", "Care worker", "Online help"),
        ("Ana Costa", "Social worker", "Youth work"),
        ("Thomas Dubois", "Volunteer", "Reception"),   # second response of respondent 4
    ]
    answers = gen_answers(rng, codes, len(people))
    answers[3].update({"C3A1": 2, "A5Q2": 0, "PAR2": 1})
    answers[9].update({"C3A1": 3, "A5Q2": 2, "PAR2": 4})
    answers[0]["A7Q2"] = DK
    answers[2]["C6K1"] = NA
    answers[5]["C5S1"] = NA
    answers[6]["POS2"] = EMPTY
    answers[7]["A2Q3"] = DK
    styles = {"C5S1": "dash", "A2Q3": "dot"}
    # spelling variants the importer must accept (case/spacing ignored, aliases of missing labels)
    variants = {(1, "C6K1"): lambda v: f"  {label('C6K1', v, 'en').upper()} ",
                (4, "C7K1"): lambda v: label("C7K1", v, "en").lower(),
                (5, "C5S1"): lambda v: "N/A",
                (8, "A5Q2"): lambda v: f"{v} -   {label('A5Q2', v, 'en')}"}
    starts = work_times(rng, dt.date(2026, 4, 7), len(people), 2, extra=[dt.datetime(2026, 4, 16, 16, 40, 2)])
    ends = [s + dt.timedelta(minutes=rng.randint(4, 14), seconds=rng.randint(0, 59)) for s in starts]
    assert ends == sorted(ends) and starts[-1] == dt.datetime(2026, 4, 16, 16, 40, 2)

    wb = xlsxwriter_book(out / "msforms_en.xlsx")
    ws = wb.add_worksheet("Sheet1")
    datefmt = wb.add_format({"num_format": "m/d/yy h:mm:ss"})
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", "Role", "Team"]
    header += [f"{ITEMS[c][2]} [{c}]" for c in codes]
    ws.write_row(0, 0, header)
    for i, ((name, role, team), ans) in enumerate(zip(people, answers)):
        r = i + 1
        ws.write_number(r, 0, i + 1)
        ws.write_datetime(r, 1, starts[i], datefmt)
        ws.write_datetime(r, 2, ends[i], datefmt)
        ws.write_string(r, 3, email_of(name, "brusselshelp-demo.be"))
        ws.write_string(r, 4, name)
        ws.write_row(r, 6, [role, team])
        for j, c in enumerate(codes):
            v = ans[c]
            cell = variants[(i, c)](v) if (i, c) in variants else label(c, v, "en", styles.get(c, "label") if isinstance(v, int) else "label")
            if cell is not None:
                ws.write_string(r, 8 + j, cell)
    wb.close()
    ref = lambda i, c: f"{col_letter(8 + codes.index(c))}{i + 2}"
    written = {ref(i, c): f(answers[i][c]) for (i, c), f in variants.items()}
    written[ref(0, "C5S1")] = label("C5S1", answers[0]["C5S1"], "en", "dash")
    written[ref(0, "A2Q3")] = label("A2Q3", answers[0]["A2Q3"], "en", "dot")
    em = email_of(people[3][0], "brusselshelp-demo.be")
    spec("msforms_en.xlsx", tool="XlsxWriter 3.3.1", shape="Microsoft Forms export, English (Sheet1; dates as real Excel date cells)",
         sheet="Sheet1", codes=codes, answers=answers, rows=10, distinct=9, replaced=1,
         cells={"D5": em, "D11": em, **written},
         notes=[f"Row 5 (ID 4, `{em}`, completed {ends[3]:%Y-%m-%d %H:%M:%S}) is replaced by row 11 (ID 10, same e-mail, completed "
                f"{ends[9]:%Y-%m-%d %H:%M:%S}). Winner: C3A1 (M11) `Independent` = 3, A5Q2 (K11) = 2, PAR2 (S11) `Rather right` = 4; "
                "row 5 has 2, 0, 1.",
                "`Start time` and `Completion time` are Excel date cells (serial numbers, number format `m/d/yy h:mm:ss`), not text.",
                "`Last modified time` (F) is ignored and empty.",
                "English labels; C5S1 (column N) written as `N - Label` (e.g. " + repr(written[ref(0, "C5S1")]) + "), A2Q3 (column J) as "
                "`N. Label` (e.g. " + repr(written[ref(0, "A2Q3")]) + "); spelling variants: " +
                ", ".join(f"{k} {v!r}" for k, v in written.items() if k not in (ref(0, "C5S1"), ref(0, "A2Q3"))) +
                " (`N/A` is an alias of Not applicable)."])


def google_forms(out: Path):
    # ---- Dutch: BOM, GMT+1, grid answers numeric for competences, labels for indicators ----
    rng = random.Random(SEED + 3)
    comp = ["C1K1", "C1S2", "C1A1", "C2K1", "C2S3"]
    ind = ["A1Q1", "A6Q1", "A6Q3"]
    codes = comp + ind + ["POS1"]
    people = [
        ("Wim Van den Broeck", "Hulpverlener", "Team Noord"), ("Lotte Hermans", "Opvoeder", "Leefgroep De Linde"),
        ("Sarah Aerts", "Begeleider", "Leefgroep De Linde"), ("Jonas Lambrecht", "Teamcoördinator", "Leefgroep De Linde"),
        ("Mehmet Yilmaz", "Hulpverlener", "Team Noord"), ("Karen Desmet", "Stafmedewerker", "Stafdienst"),
        ("Ruben Verhoeven", "Opvoeder", "Leefgroep Het Anker"), ("Eline Coppens", "Maatschappelijk werker", "Onthaal"),
        ("Griet Smets", "Begeleider", "Leefgroep Het Anker"), ("Youssef Benali", "Vrijwilliger", "Onthaal"),
        ("Marie Dupont", "Directeur", "Directie"), ("Lien Verstraete", "Hulpverlener", "Team Zuid"),
        ("Stijn Pauwels", "Teamleider", "Team Zuid"), ("Nele Cools", "Beleidsmedewerker", "Stafdienst"),
        ("Hilde Martens", "Consulent", "Onthaal"),
    ]
    answers = gen_answers(rng, codes, len(people))
    answers[1]["A6Q3"] = DK
    answers[3]["C1S2"] = EMPTY
    answers[6]["A1Q1"] = DK
    answers[9]["A6Q1"] = NA
    answers[9]["POS1"] = DK
    answers[12]["C2S3"] = EMPTY
    comments = {2: 'Graag meer vorming over "beeldbellen", liefst in kleine groepen.',
                6: "Wij werken al met chat, maar:\n- weinig tijd\n- geen vaste afspraken",
                13: "Geen opmerkingen"}
    headers = ["Tijdstempel", "E-mailadres", "Functie", "Team"]
    for c in comp:
        headers.append(f"Competenties [{c}]" if c not in ("C1A1", "C2K1") else f"Competenties [{c} {ITEMS[c][1]}]")
    for c in ind:
        headers.append(f"Stellingen over onze organisatie [{c}]" if c != "A6Q3" else f"Stellingen over onze organisatie [{c} {ITEMS[c][1]}]")
    headers.append(f"{ITEMS['POS1'][1]} [POS1]")
    headers.append("Heb je nog opmerkingen of suggesties?")
    noon, midnight = dt.datetime(2026, 3, 4, 12, 7, 45), dt.datetime(2026, 3, 5, 0, 22, 3)   # 12:07:45 PM, 12:22:03 AM
    times = work_times(rng, dt.date(2026, 3, 2), len(people), 3, extra=[noon, midnight])
    rows = []
    for i, ((name, role, team), ans) in enumerate(zip(people, answers)):
        t = times[i]
        row = [gdate(t, "GMT+1"), email_of(name, "vzw-dezon-demo.be"), role, team]
        row += [label(c, ans[c], "nl", "numstr") if c in comp else label(c, ans[c], "nl") for c in codes]
        row.append(comments.get(i, ""))
        rows.append(row)
    write_csv(out / "googleforms_nl.csv", [headers] + rows, delimiter=",", bom=True, quoting=csv.QUOTE_ALL)
    spec("googleforms_nl.csv", tool="Python csv module (Google Forms cannot run here)",
         shape="Google Forms responses CSV, Dutch: comma, every field quoted, CRLF, UTF-8 with BOM, `Tijdstempel` as " + f"`{rows[0][0]}`",
         sheet=None, delimiter=",", encoding="utf-8-sig", codes=codes, answers=answers, rows=15, distinct=15, replaced=0,
         cells={f"A{times.index(noon) + 2}": gdate(noon, "GMT+1"), f"A{times.index(midnight) + 2}": gdate(midnight, "GMT+1"),
                f"{col_letter(len(headers) - 1)}8": comments[6],
                f"{col_letter(len(headers) - 1)}4": comments[2]},
         notes=["Grid headers `Competenties [C1K1]` and `Competenties [C1A1 Ik zet in op …]` (text after the code inside the "
                "brackets; the C2K1 one also contains a comma and parentheses); indicator grid `Stellingen over onze organisatie [A1Q1]`.",
                "Competence grid answers are digits (`1`–`5`); indicator and POS1 answers are Dutch labels.",
                f"Timestamps include `{gdate(noon, 'GMT+1')}` (row {times.index(noon) + 2}) and `{gdate(midnight, 'GMT+1')}` "
                f"(just after midnight, row {times.index(midnight) + 2}).",
                "The last column (comments) is ignored; row 8 holds a quoted multi-line value, row 4 doubled quotes."])

    # ---- English: no BOM, UTC+2, competences as labels, indicators numeric ----
    rng = random.Random(SEED + 4)
    comp = ["C3A1", "C4S1", "C5S1", "C6K1"]
    ind = ["A2Q1", "A8Q1"]
    codes = comp + ind + ["PAR1"]
    people = [("Emma Wouters", "Social worker", "Outreach"), ("Noah Peeters", "Team lead", "Outreach"),
              ("Olivia Jacobs", "Policy worker", "Policy unit"), ("Liam Maes", "Trained volunteer", "Helpline"),
              ("Mila Claes", "Frontline worker", "Helpline"), ("Arthur Willems", "Supervisor", "Helpline"),
              ("Louise Goossens", "Care worker", "Outreach"), ("Adam Mertens", "Management team", "Management")]
    answers = gen_answers(rng, codes, len(people))
    answers[2]["C5S1"] = DK
    answers[4]["A8Q1"] = EMPTY
    answers[6]["PAR1"] = NA
    headers = ["Timestamp", "Email address", "Role", "Department"]
    headers += [f"Competences [{c}]" if c != "C4S1" else f"Competences [{c} {ITEMS[c][2]}]" for c in comp]
    headers += [f"{ITEMS[c][2]} [{c}]" for c in ind]
    headers += [f"Paradox: {ITEMS['PAR1'][2]} [PAR1]", "Anything else you would like to tell us?"]
    noon = dt.datetime(2026, 4, 3, 12, 40, 18)
    times = work_times(rng, dt.date(2026, 4, 1), len(people), 2, extra=[noon])
    rows = []
    for i, ((name, role, dept), ans) in enumerate(zip(people, answers)):
        t = times[i]
        row = [gdate(t, "UTC+2"), email_of(name, "helpline-demo.be"), role, dept]
        row += [label(c, ans[c], "en") if c in comp else label(c, ans[c], "en", "numstr") for c in comp + ind]
        row.append(label("PAR1", answers[i]["PAR1"], "en"))
        row.append("We need better laptops, and a quiet room for video calls." if i == 1 else "")
        rows.append(row)
    write_csv(out / "googleforms_en.csv", [headers] + rows, delimiter=",", bom=False, quoting=csv.QUOTE_ALL)
    spec("googleforms_en.csv", tool="Python csv module (Google Forms cannot run here)",
         shape="Google Forms responses CSV, English: comma, every field quoted, CRLF, UTF-8 without BOM, `Timestamp` as " + f"`{rows[0][0]}`",
         sheet=None, delimiter=",", encoding="utf-8", codes=codes, answers=answers, rows=8, distinct=8, replaced=0,
         cells={f"A{times.index(noon) + 2}": gdate(noon, "UTC+2")},
         notes=["Competence grid `Competences [C3A1]`, one as `Competences [C4S1 I can work with …]`; indicators as plain questions "
                "`<text> [A2Q1]`; PAR1 as `Paradox: … [PAR1]`.",
                "Competence answers are English labels, indicator answers digits `0`–`4`, PAR1 labels (`Balanced`, …).",
                f"Timestamps use `UTC+2`; row {times.index(noon) + 2} is `{gdate(noon, 'UTC+2')}`.",
                "`Department` is the team column; the last column (comments) is ignored."])


def gdate(t: dt.datetime, tz: str) -> str:
    h12 = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    return f"{t.year}/{t.month:02d}/{t.day:02d} {h12}:{t.minute:02d}:{t.second:02d} {ampm} {tz}"


def write_csv(path: Path, rows, delimiter=",", bom=False, quoting=csv.QUOTE_MINIMAL, encoding="utf-8", lineterminator="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def limesurvey(out: Path):
    # ---- question-code export: semicolon, all quoted, numeric answer codes ----
    rng = random.Random(SEED + 5)
    items = [("G01Q02[C1K1]", "C1K1"), ("G01Q02[C1S2]", "C1S2"), ("G01Q02[C2K1]", "C2K1"), ("G01Q02[C2S3]", "C2S3"),
             ("Q1[A1Q1]", "A1Q1"), ("Q1[A6Q3]", "A6Q3"), ("A8Q1", "A8Q1"), ("POS1", "POS1"), ("PAR1", "PAR1")]
    codes = [c for _, c in items]
    page1 = {"C1K1", "C1S2", "C2K1", "C2S3"}
    people = [("Hulpverlener", "Team Gent"), ("Teamcoördinator", "Team Gent"), ("Begeleider", "Team Aalst"),
              ("Stafmedewerker", "Staf"), ("Maatschappelijk werker", "Team Aalst"), ("Vrijwilliger", "Team Gent"),
              ("Hulpverlener", "Team Aalst"), ("Directeur", "Directie"), ("Consulent", "Team Gent")]
    ids = [3, 4, 5, 7, 8, 9, 11, 12, 13]
    answers = gen_answers(rng, codes, len(people))
    incomplete = 5   # row index (0-based data row) whose respondent stopped after page 1
    for c in codes:
        if c not in page1:
            answers[incomplete][c] = EMPTY
    answers[2]["A6Q3"] = EMPTY
    answers[7]["C2S3"] = EMPTY
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp", "Functie", "Team"]
    header += [h for h, _ in items]
    rows = []
    times = work_times(rng, dt.date(2026, 2, 23), len(people), 2)
    for i, ((role, team), ans) in enumerate(zip(people, answers)):
        start = times[i]
        end = start + dt.timedelta(minutes=rng.randint(5, 15), seconds=rng.randint(0, 59))
        iso = lambda d: d.strftime("%Y-%m-%d %H:%M:%S")
        token = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(15))
        if i == incomplete:
            row = [ids[i], "", 1, "nl", rng.randint(10**8, 2 * 10**9), token, iso(start), iso(start + dt.timedelta(minutes=3, seconds=12))]
        else:
            row = [ids[i], iso(end), 2, "nl", rng.randint(10**8, 2 * 10**9), token, iso(start), iso(end)]
        row += [role, team] + [label(c, ans[c], "nl", "numstr") for c in codes]
        rows.append(row)
    write_csv(out / "limesurvey_codes.csv", [header] + rows, delimiter=";", quoting=csv.QUOTE_ALL)
    spec("limesurvey_codes.csv", tool="Python csv module (LimeSurvey cannot run here)",
         shape="LimeSurvey 6 export, headings = question code, answers = answer codes: semicolon, every field quoted, CRLF, UTF-8 without BOM",
         sheet=None, delimiter=";", encoding="utf-8", codes=codes, answers=answers, rows=9, distinct=9, replaced=0,
         notes=["Item headers: `G01Q02[C1K1]` (array question G01Q02, subquestion code = item code), `Q1[A1Q1]`, and plain "
                "question codes `A8Q1`, `POS1`, `PAR1` (header equals the code).",
                "Row 7 (id 9) is an incomplete response: `submitdate` empty, `lastpage` 1, only the four page-1 items "
                "(C1K1, C1S2, C2K1, C2S3) answered. It is still imported.",
                "`submitdate` is LimeSurvey's `YYYY-MM-DD HH:MM:SS` (space, no zone). `token` is unique per row.",
                "`Functie` and `Team` are question codes chosen to equal the metadata headers; `startdate` is the start time; `lastpage`, "
                "`startlanguage`, `seed`, `datestamp` are ignored."])

    # ---- full-headings export: tab, all quoted, full answer texts ----
    rng = random.Random(SEED + 6)
    comp = ["C1K1", "C1A1", "C3A1", "C5K2"]
    ind = ["A1Q1", "A2Q3", "A7Q2"]
    codes = comp + ind + ["POS2"]
    people = [("Hulpverlener", "Team Leuven"), ("Begeleider", "Team Leuven"), ("Teamverantwoordelijke", "Team Leuven"),
              ("Sociaal werker", "Team Tienen"), ("Beleidsmedewerker", "Staf"), ("Hulpverlener", "Team Tienen"),
              ("Vrijwillige medewerker", "Team Tienen")]
    answers = gen_answers(rng, codes, len(people))
    answers[1]["A2Q3"] = DK
    answers[3]["C5K2"] = DK
    answers[4]["C1A1"] = EMPTY
    answers[6]["A7Q2"] = DK
    header = ["Response ID", "Date submitted", "Last page", "Start language", "Seed", "Token", "Date started",
              "Date last action", "Functie", "Team"]
    header += [f"Competenties: hoe goed beheerst u dit? [{c}]" for c in comp]
    header += [f"{ITEMS[c][1]} [{c}]" for c in ind]
    header += ["Positionering van het online aanbod [POS2]"]
    rows = []
    times = work_times(rng, dt.date(2026, 5, 11), len(people), 2)
    for i, ((role, team), ans) in enumerate(zip(people, answers)):
        start = times[i]
        end = start + dt.timedelta(minutes=rng.randint(5, 15), seconds=rng.randint(0, 59))
        iso = lambda d: d.strftime("%Y-%m-%d %H:%M:%S")
        token = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(15))
        row = [21 + i, iso(end), 2, "nl", rng.randint(10**8, 2 * 10**9), token, iso(start), iso(end), role, team]
        row += [label(c, ans[c], "nl", "dash" if (i, c) in ((0, "C1K1"), (2, "C3A1")) else "label") for c in codes]
        rows.append(row)
    write_csv(out / "limesurvey_full.tsv", [header] + rows, delimiter="\t", bom=True, quoting=csv.QUOTE_ALL)
    spec("limesurvey_full.tsv", tool="Python csv module (LimeSurvey cannot run here)",
         shape="LimeSurvey 6 export, headings = full question text, answers = full answer text, field separator tab: every field quoted, CRLF, UTF-8 with BOM",
         sheet=None, delimiter="\t", encoding="utf-8-sig", codes=codes, answers=answers, rows=7, distinct=7, replaced=0,
         notes=["Item headers: `Competenties: hoe goed beheerst u dit? [C1K1]` (subquestion shown in brackets), "
                "`<indicator text> [A1Q1]`, `Positionering van het online aanbod [POS2]`.",
                "Answers are Dutch labels; two carry the answer code as prefix (`3 - Zelfstandig` style, K2 and M4).",
                "Metadata: `Response ID`, `Date submitted`, `Date started`, `Token`, `Functie`, `Team` recognised; `Last page`, "
                "`Start language`, `Seed`, `Date last action` ignored."])


def excel_windows1252(out: Path, tmp: Path, lo: Soffice):
    rng = random.Random(SEED + 7)
    codes = ["A1Q1", "A3Q2", "A6Q1", "C1K1", "C2S3", "C3A1", "C6K1", "POS1", "PAR1"]
    people = [("Zoë Van Acker", "Teamcoördinator", "Ambulante begeleiding", "Leidinggevenden"),
              ("Anaïs Leroy", "Hulpverlener", "Ambulante begeleiding", "Medewerker"),
              ("René Peeters", "Maatschappelijk werker", "Onthaal", "Medewerker"),
              ("Chloë Declercq", "Kwaliteitscoördinator", "Stafdienst", "Medewerker"),
              ("Noël Maes", "Directeur", "Directie", "Directie"),
              ("Inès Vermeulen", "Vrijwilliger", "Cliëntenraad", "Cliëntvertegenwoordiger"),
              ("Joëlle Dubois", "Vrijwilliger", "Cliëntenraad", "Cliëntvertegenwoordiger"),
              ("Gaël Janssens", "Consulent", "OCMW Brugge", "Partnerorganisatie"),
              ("Loïc Smets", "Opvoeder", "Residentiële werking", "Medewerker"),
              ("Daphné Claes", "Stafmedewerker", "Stafdienst", "Medewerker")]
    answers = gen_answers(rng, codes, len(people))
    answers[5]["A6Q1"] = NA
    answers[6]["C6K1"] = NA
    answers[7]["A3Q2"] = DK
    answers[2]["C2S3"] = EMPTY
    missing_text = {(5, "A6Q1"): "n.v.t.", (6, "C6K1"): "n.v.t.", (7, "A3Q2"): "weet niet"}
    comments = {0: "Graag één vast aanspreekpunt voor ICT-vragen", 4: "Budget voor laptops: ongeveer € 450 per medewerker",
                5: "Niet alle cliënten hebben een smartphone; sommigen lezen moeilijk"}
    header = ["Naam", "Functie", "Afdeling", "Respondentgroep", "Opmerkingen (ideeën)"] + codes
    rows = []
    for i, ((name, role, dept, group), ans) in enumerate(zip(people, answers)):
        cells = []
        for c in codes:
            v = ans[c]
            if (i, c) in missing_text:
                cells.append(missing_text[(i, c)])
            elif c == "POS1" and isinstance(v, int) and i in (1, 8):
                cells.append(label(c, v, "nl"))   # a label, e.g. "Gedeeltelijk"
            else:
                cells.append(label(c, v, "nl", "numstr"))
        rows.append([name, role, dept, group, comments.get(i, "")] + cells)
    src = tmp / "excel_windows1252.csv"
    write_csv(src, [header] + rows, delimiter=",", lineterminator="\n")
    outdir = tmp / "cp1252"
    outdir.mkdir(exist_ok=True)
    lo.convert(src, "csv:Text - txt - csv (StarCalc):59,34,1", outdir, CSV_UTF8_COMMA)
    shutil.copyfile(outdir / "excel_windows1252.csv", out / "excel_windows1252.csv")
    spec("excel_windows1252.csv", tool="LibreOffice Calc 7.4 (CSV export, field separator `;`, character set Western Europe (Windows-1252))",
         shape="Excel \"CSV (gescheiden door lijstscheidingsteken)\" from a Dutch Windows PC: semicolon, Windows-1252, quotes only where needed",
         sheet=None, delimiter=";", encoding="cp1252", codes=codes, answers=answers, rows=10, distinct=10, replaced=0,
         notes=["Bytes are Windows-1252: `ë` = 0xEB, `ï` = 0xEF, `é` = 0xE9, `€` = 0x80 (in E6; 0x80 is a C1 control "
                "character in ISO-8859-1, so only Windows-1252 decodes it right; the bytes are not valid UTF-8). Line endings are LF (LibreOffice on Linux; Excel on Windows would write CRLF).",
                "Item headers equal the codes (`A1Q1` … `PAR1`).",
                "`Afdeling` is the team column; `Opmerkingen (ideeën)` (E) is ignored.",
                "POS1 (column M) answers are digits except two labels (M3, M10)."],
         cells={"E6": comments[4], "H7": "n.v.t.", "L8": "n.v.t.", "G9": "weet niet", "J4": None,
                "M3": label("POS1", answers[1]["POS1"], "nl"), "M10": label("POS1", answers[8]["POS1"], "nl"),
                "B2": "Teamcoördinator", "D7": "Cliëntvertegenwoordiger"})


def libreoffice_tables(out: Path, tmp: Path, lo: Soffice):
    rng = random.Random(SEED + 8)
    codes = ["A1Q1", "A2Q1", "A6Q3", "A9Q2", "C1K1", "C2S3", "C4S1", "C5S1", "POS1", "VIS1"]
    people = [("Bart Dubois", "Hulpverlener", "Team Kortrijk", "Medewerkers"),
              ("Ines Vermeulen", "Teamcoördinator", "Team Kortrijk", "Management"),
              ("Jeroen Segers", "Stafmedewerker", "Staf", "Medewerker"),
              ("Lien Verstraete", "Vrijwilliger", "Team Roeselare", "Medewerkers"),
              ("Dirk Van Damme", "Directeur", "Directie", "MT"),
              ("Sarah Aerts", "Opvoeder", "Team Roeselare", "Medewerkers"),
              ("Kevin De Backer", "Begeleider", "Team Kortrijk", "Medewerkers"),
              ("Joke Michiels", "Hulpverlener", "Team Roeselare", "Medewerkers")]
    answers = gen_answers(rng, codes, len(people))
    answers[1]["A9Q2"] = NA
    answers[6]["C5S1"] = NA
    answers[3]["A6Q3"] = EMPTY
    answers[5]["VIS1"] = EMPTY
    answers[7]["A2Q1"] = EMPTY
    header = ["Naam", "Rol", "Team", "Groep"] + codes
    rows = []
    for (name, role, team, group), ans in zip(people, answers):
        rows.append([name, role, team, group] + ["n.v.t." if ans[c] == NA else label(c, ans[c], "nl", "numstr") for c in codes])
    srcdir = tmp / "lo-src"
    srcdir.mkdir(exist_ok=True)
    src = srcdir / "Blad1.csv"           # LibreOffice names the sheet after the file: "Blad1"
    write_csv(src, [header] + rows, delimiter=",", lineterminator="\n")
    outdir = tmp / "lo-out"
    outdir.mkdir(exist_ok=True)
    lo.convert(src, "ods", outdir, CSV_UTF8_COMMA)
    lo.convert(src, "xlsx", outdir, CSV_UTF8_COMMA)
    lo.convert(src, "xls:MS Excel 97", outdir, CSV_UTF8_COMMA)
    for ext in ("ods", "xlsx", "xls"):
        dst = out / f"libreoffice.{ext}"
        shutil.copyfile(outdir / f"Blad1.{ext}", dst)
        if ext != "xls":
            normalize_zip_times(dst)
        target = 'xls:"MS Excel 97"' if ext == "xls" else ext
        base = dict(tool=f"LibreOffice Calc 7.4 (`soffice --headless --convert-to {target}` from a UTF-8 CSV)",
                    shape=f"plain table saved by LibreOffice as .{ext}: headers equal codes, numeric answers",
                    sheet="Blad1", codes=codes, answers=answers, rows=8, distinct=8, replaced=0,
                    cells={"H3": "n.v.t.", "L8": "n.v.t.", "G5": None, "N7": None, "F9": None},
                    notes=["Identical cell content in libreoffice.ods, libreoffice.xlsx and libreoffice.xls (checked by reading all three back).",
                           "Answers are numeric cells except the missing ones listed below (`n.v.t.` is a text cell).",
                           "`Rol`, `Team`, `Groep` recognised; there is no e-mail column, so no de-duplication.",
                           "LibreOffice stamps zip entries with the conversion time: the script re-stamps the entries of the "
                           ".ods and .xlsx with a fixed time (contents untouched) so re-runs are byte-identical; the .xls is byte-identical as written."])
        spec(f"libreoffice.{ext}", **base)


def qualtrics(out: Path):
    rng = random.Random(SEED + 9)
    codes = ["A1Q1", "A5Q2", "C1K1", "C2K1", "C4S1", "POS1"]
    meta1 = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
             "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude",
             "LocationLongitude", "DistributionChannel", "UserLanguage", "Role", "Team"]
    meta2 = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished", "Recorded Date",
             "Response ID", "Recipient Last Name", "Recipient First Name", "Recipient Email", "External Data Reference",
             "Location Latitude", "Location Longitude", "Distribution Channel", "User Language", "Wat is uw functie?", "In welk team werkt u?"]
    tz = ',"timeZone":"Europe/Brussels"'
    meta3 = ['{"ImportId":"startDate"%s}' % tz, '{"ImportId":"endDate"%s}' % tz, '{"ImportId":"status"}', '{"ImportId":"ipAddress"}',
             '{"ImportId":"progress"}', '{"ImportId":"duration"}', '{"ImportId":"finished"}', '{"ImportId":"recordedDate"%s}' % tz,
             '{"ImportId":"_recordId"}', '{"ImportId":"recipientLastName"}', '{"ImportId":"recipientFirstName"}',
             '{"ImportId":"recipientEmail"}', '{"ImportId":"externalDataReference"}', '{"ImportId":"locationLatitude"}',
             '{"ImportId":"locationLongitude"}', '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}',
             '{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_TEXT"}']
    q2 = {"A1Q1": ITEMS["A1Q1"][1], "A5Q2": ITEMS["A5Q2"][1],
          "C1K1": "Hoe goed beheerst u het volgende? - " + ITEMS["C1K1"][1],
          "C2K1": "Hoe goed beheerst u het volgende? - " + ITEMS["C2K1"][1],
          "C4S1": "Hoe goed beheerst u het volgende? - " + ITEMS["C4S1"][1], "POS1": ITEMS["POS1"][1]}
    q3 = {"A1Q1": '{"ImportId":"QID3"}', "A5Q2": '{"ImportId":"QID4"}', "C1K1": '{"ImportId":"QID5_1"}',
          "C2K1": '{"ImportId":"QID5_2"}', "C4S1": '{"ImportId":"QID5_3"}', "POS1": '{"ImportId":"QID6"}'}
    people = [("Hulpverlener", "Team Mechelen"), ("Teamcoördinator", "Team Mechelen"), ("Stafmedewerker", "Staf"),
              ("Hulpverlener", "Team Lier"), ("Vrijwilliger", "Team Lier"), ("Directeur", "Directie")]
    answers = gen_answers(rng, codes, len(people))
    answers[2]["A5Q2"] = EMPTY
    answers[4]["C2K1"] = EMPTY
    rows = [meta1 + codes, meta2 + [q2[c] for c in codes], meta3 + [q3[c] for c in codes]]
    times = work_times(rng, dt.date(2026, 3, 16), len(people), 2)
    for i, ((role, team), ans) in enumerate(zip(people, answers)):
        start = times[i]
        dur = rng.randint(240, 900)
        end = start + dt.timedelta(seconds=dur)
        iso = lambda d: d.strftime("%Y-%m-%d %H:%M:%S")
        rid = "R_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(15))
        rows.append([iso(start), iso(end), 0, "", 100, dur, 1, iso(end), rid, "", "", "", "", "", "", "anonymous", "NL", role, team]
                    + [label(c, ans[c], "nl", "numstr") for c in codes])
    write_csv(out / "qualtrics.csv", rows, delimiter=",", bom=True, quoting=csv.QUOTE_MINIMAL)
    spec("qualtrics.csv", tool="Python csv module (Qualtrics cannot run here)",
         shape="Qualtrics \"CSV, use numeric values\" export: comma, UTF-8 with BOM, CRLF; row 1 column names, row 2 question texts, row 3 `{\"ImportId\":…}` JSON",
         sheet=None, delimiter=",", encoding="utf-8-sig", header_rows=3, codes=codes, answers=answers, rows=6, distinct=6, replaced=0,
         notes=["Rows 2 and 3 are Qualtrics' extra header rows and must be skipped; data starts in row 4.",
                "Item columns were renamed to the codes in Qualtrics (header equals the code); `Role` and `Team` are renamed questions.",
                "Qualtrics' `StartDate`, `EndDate`, `ResponseId` and `RecipientEmail` are recognised as start time, completion time, "
                "response id and e-mail; its other metadata (`Status`, `IPAddress`, …) is ignored. `RecipientEmail` is empty "
                "(anonymous link), so no de-duplication.",
                "Missing answers are empty cells; there are no `-99` codes."],
         cells={"A1": "StartDate", "A2": "Start Date", "A4": rows[3][0], "I2": "Response ID", "T3": '{"ImportId":"QID3"}'})


def mixed_roles_groups(out: Path):
    import openpyxl

    rng = random.Random(SEED + 10)
    codes = ["A1Q1", "A4Q3", "C1K1", "C2K1", "POS1"]
    people = [("Griet Smets", "  HULPVERLENER ", "Team Noord", "medewerker", "", 12),
              ("Dirk Van Damme", "Kok", "Keuken", "Medewerkers", "Ik werk niet met cliënten online.", 7),
              ("Lien Verstraete", "teamleider", "Team Zuid", "MT", "", 4),
              ("Stijn Pauwels", "Directeur", "Directie", "Bestuur", "Vraag ook de raad van bestuur.", 21),
              ("Nele Cools", "Vrijwilliger", "Onthaal", "Cliënten", "", 2),
              ("Youssef Benali", "Social worker", "Team Noord", "Partnerorganisatie", "Werkt voor het OCMW", 9),
              ("Joke Michiels", "Stafmedewerker", "Stafdienst", "Personeel", "", 15),
              ("Kevin De Backer", "Beleidsmedewerker", "Stafdienst", "management team", "", 3)]
    answers = gen_answers(rng, codes, len(people))
    answers[1]["A4Q3"] = DK
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["ID", "Naam", "E-mail", "Functie", "Team", "Respondentgroep", "Opmerkingen", "Jaren in dienst"] + codes)
    for i, ((name, role, team, group, note, years), ans) in enumerate(zip(people, answers)):
        ws.append([i + 1, name, email_of(name, "caw-demo.be"), role, team, group, note or None, years]
                  + [label(c, ans[c], "nl", "num") for c in codes])
    openpyxl_save(wb, out / "mixed_roles_groups.xlsx")
    spec("mixed_roles_groups.xlsx", tool="openpyxl 3.1.5", shape="hand-made Excel list with role and group spellings",
         sheet="Blad1", codes=codes, answers=answers, rows=8, distinct=8, replaced=0,
         warnings=["Blad1!D3 role `Kok` matches no role profile: warning; the respondent is imported without a role profile",
                   "Blad1!F5 group `Bestuur` matches no respondent group: warning (we expect the default group `staff`; "
                   "the brief does not fix the fallback)"],
         warning_cells=["D3", "F5"], cells={"D2": "  HULPVERLENER ", "D3": "Kok", "F5": "Bestuur", "J3": "Weet ik niet"},
         notes=["Role spellings: `  HULPVERLENER ` (spaces, upper case), `teamleider`, `Social worker`, … all recognised.",
                "Group spellings: `medewerker`, `Medewerkers`, `MT`, `Cliënten`, `Partnerorganisatie`, `Personeel`, `management team`.",
                "`Opmerkingen` (G) and `Jaren in dienst` (H) are ignored; answers are numeric cells; `Weet ik niet` in J3."])


# ---- broken ----

def broken(out: Path, tmp: Path, lo: Soffice):
    import openpyxl

    # 10. truncated: a valid openpyxl workbook cut in half
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["ID", "Naam", "E-mail", "Functie", "A1Q1", "C1K1", "C2K1", "POS1"])
    rng = random.Random(SEED + 11)
    for i, name in enumerate(["An Peeters", "Jan Maes", "Els Willems", "Koen Claes", "Tom Mertens", "Lies Jacobs"]):
        ws.append([i + 1, name, email_of(name, "caw-demo.be"), "Hulpverlener", rng.randint(0, 4), rng.randint(1, 5), rng.randint(1, 5), rng.randint(0, 2)])
    full = tmp / "truncated_full.xlsx"
    openpyxl_save(wb, full)
    data = full.read_bytes()
    (out / "broken_truncated.xlsx").write_bytes(data[: len(data) // 2])
    spec("broken_truncated.xlsx", tool="openpyxl 3.1.5, then cut to the first half of its bytes", shape="damaged download",
         sheet=None, refused=True, full_size=len(data),
         problems=[f"not a readable xlsx: the zip is cut off after {len(data) // 2} of {len(data)} bytes "
                   "(no end-of-central-directory record); no sheet or cell can be named"])

    # 11. out of scale
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    codes = ["A1Q1", "A6Q3", "C1K1", "C2K1", "POS1", "PAR1"]
    ws.append(["ID", "Naam", "E-mail", "Functie"] + codes)
    names = ["An Peeters", "Jan Maes", "Els Willems", "Koen Claes", "Tom Mertens", "Lies Jacobs"]
    good = [[2, 1, 3, 3, 1, 2], [3, 2, 4, 3, 2, 3], [1, 0, 2, 2, 0, 1], [4, 3, 5, 4, 2, 4], [2, 2, 3, 3, 1, 3], [3, 2, 3, 4, 1, 2]]
    bad = {(0, "PAR1"): 6, (1, "C1K1"): 7, (2, "A6Q3"): -1, (3, "C2K1"): 3.5, (4, "A1Q1"): "Soms", (4, "POS1"): 3, (5, "C1K1"): 0}
    roles = ["Hulpverlener", "Begeleider", "Teamcoördinator", "Stafmedewerker", "Hulpverlener", "Vrijwilliger"]
    for i, name in enumerate(names):
        vals = [bad.get((i, c), good[i][j]) for j, c in enumerate(codes)]
        vals[1] = "Verkennend" if (i, "A6Q3") not in bad and i == 0 else vals[1]   # one label in a good cell
        ws.append([i + 1, name, email_of(name, "caw-demo.be"), roles[i]] + vals)
    openpyxl_save(wb, out / "broken_out_of_scale.xlsx")
    problems = []
    for (i, c), v in sorted(bad.items(), key=lambda kv: (kv[0][0], codes.index(kv[0][1]))):
        ref = f"Blad1!{col_letter(4 + codes.index(c))}{i + 2}"
        lo_, hi_, _ = SCALES[scale_of(c)]
        if isinstance(v, str):
            problems.append(f"{ref} `{v}` is not a label of the {scale_of(c)} scale ({c})")
        elif isinstance(v, float):
            problems.append(f"{ref} value {v} is not a whole number ({c}, {scale_of(c)} {lo_}–{hi_})")
        else:
            problems.append(f"{ref} value {v} outside {lo_}–{hi_} ({c}, {scale_of(c)})")
    spec("broken_out_of_scale.xlsx", tool="openpyxl 3.1.5", shape="hand-made Excel list with typing errors", sheet="Blad1",
         refused=True, codes=codes, problems=problems, bad_cells={f"{col_letter(4 + codes.index(c))}{i + 2}": v for (i, c), v in bad.items()},
         notes=["All other item cells are valid numbers, plus the label `Verkennend` in F2 (valid). Numbers are numeric cells, "
                "`Soms` is text. 6 respondent rows."])

    # 12. duplicate headers
    wb = xlsxwriter_book(out / "broken_duplicate_headers.xlsx")
    ws = wb.add_worksheet("Blad1")
    ws.write_row(0, 0, ["ID", "Naam", "C1K1", "A1Q1", "C2K1", f"{ITEMS['C1K1'][1]} [C1K1]"])
    rng = random.Random(SEED + 12)
    for i, name in enumerate(["An Peeters", "Jan Maes", "Els Willems", "Koen Claes", "Tom Mertens"]):
        ws.write_row(i + 1, 0, [i + 1, name, rng.randint(1, 5), rng.randint(0, 4), rng.randint(1, 5), rng.randint(1, 5)])
    wb.close()
    spec("broken_duplicate_headers.xlsx", tool="XlsxWriter 3.3.1", shape="hand-made list where a question was pasted twice", sheet="Blad1",
         refused=True, problems=["Blad1!C1 (`C1K1`) and Blad1!F1 (`Ik weet wat … [C1K1]`) are both item C1K1"],
         notes=["5 respondent rows with valid numeric answers; the only fault is the duplicated code."])

    # 13. empty
    wb = openpyxl.Workbook()
    wb.active.title = "Blad1"
    openpyxl_save(wb, out / "broken_empty.xlsx")
    spec("broken_empty.xlsx", tool="openpyxl 3.1.5", shape="new workbook saved without typing anything", sheet="Blad1",
         refused=True, problems=["Blad1 is empty: no header row, no item columns, no respondents"])

    # 14. formulas
    wb = xlsxwriter_book(out / "broken_formulas.xlsx")
    ws = wb.add_worksheet("Blad1")
    ws.write_row(0, 0, ["ID", "Naam", "E-mail", "A1Q1", "A6Q3", "C1K1", "C2K1"])
    rng = random.Random(SEED + 13)
    names = ["An Peeters", "Jan Maes", "Els Willems", "Koen Claes", "Tom Mertens"]
    for i, name in enumerate(names):
        ws.write_row(i + 1, 0, [i + 1, name, email_of(name, "caw-demo.be"), rng.randint(0, 4), rng.randint(0, 4), rng.randint(1, 5), rng.randint(1, 5)])
    ws.write_formula("F3", "=1+2", None, 3)      # cached result 3
    ws.write_formula("D4", "=1+2")               # no result given: XlsxWriter stores its default cached value 0
    ws.write_formula("G5", "=1+2", None, "")     # empty cached value: <v></v>
    wb.close()
    spec("broken_formulas.xlsx", tool="XlsxWriter 3.3.1", shape="hand-made list where answers were typed as formulas", sheet="Blad1",
         refused=True,
         problems=["Blad1!F3 formula `=1+2` (C1K1) with cached result 3 (`<f>1+2</f><v>3</v>`)",
                   "Blad1!D4 formula `=1+2` (A1Q1) written without a result: XlsxWriter stores `<v>0</v>`, so a reader that "
                   "takes cached values sees 0 (a valid maturity value!)",
                   "Blad1!G5 formula `=1+2` (C2K1) with an empty cached result (`<v></v>`): a cached-value reader sees an empty cell"],
         notes=["All other item cells are plain numbers. Calamine's `worksheet_formula` returns `1+2` for the three cells."])

    # 15. merged header
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["ID", "Naam", "E-mail", "Functie", "A1Q1", "A6Q3", "Competenties [C1K1]", None, None])
    rng = random.Random(SEED + 14)
    for i, name in enumerate(["An Peeters", "Jan Maes", "Els Willems", "Koen Claes", "Tom Mertens"]):
        ws.append([i + 1, name, email_of(name, "caw-demo.be"), "Hulpverlener", rng.randint(0, 4), rng.randint(0, 4),
                   rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)])
    ws.merge_cells("G1:I1")
    openpyxl_save(wb, out / "broken_merged_header.xlsx")
    spec("broken_merged_header.xlsx", tool="openpyxl 3.1.5 (`merge_cells(\"G1:I1\")`)",
         shape="hand-made list with a decorative merged header", sheet="Blad1", refused=True,
         problems=["Blad1!G1:I1 is a merged header cell (`Competenties [C1K1]`) spanning three answer columns; H1 and I1 are empty "
                   "but H2:I6 hold answers"],
         notes=["5 respondent rows; G2:I6 hold numbers 1–5."])

    # 16. zip bomb
    bomb_sizes = make_zipbomb(out / "broken_zipbomb.xlsx")
    spec("broken_zipbomb.xlsx", tool="Python zipfile + zlib (streamed, level 9)", shape="hostile upload shaped like an xlsx",
         sheet=None, refused=True, **bomb_sizes,
         problems=[f"xl/worksheets/sheet1.xml declares {bomb_sizes['uncompressed']:,} bytes uncompressed "
                   f"from {bomb_sizes['compressed']:,} compressed bytes "
                   f"(≈ {bomb_sizes['uncompressed'] / 1e9:.2f} GB, ratio ≈ {bomb_sizes['uncompressed'] // bomb_sizes['compressed']}:1); refuse before inflating"],
         notes=["The zip's local and central headers carry the true sizes. [Content_Types].xml, _rels/.rels, xl/workbook.xml and "
                "xl/_rels/workbook.xml.rels are valid; sheet1.xml is a well-formed worksheet (sheet `Blad1`) whose first row is "
                "`ID`, `C1K1` and whose 34,816 further rows each hold a 30,000-character inline string `AAAA…` and the number 3 "
                "(a reader that inflates it holds ~1 GB of strings)."])

    # 17. UTF-16
    src = tmp / "broken_utf16.csv"
    write_csv(src, [["Naam", "Functie", "A1Q1", "C1K1", "C2K1"], ["Zoë Van Acker", "Teamcoördinator", 3, 4, 3],
                    ["Anaïs Leroy", "Hulpverlener", 2, 3, 3], ["René Peeters", "Stafmedewerker", 1, 2, 4]],
              delimiter=",", lineterminator="\n")
    outdir = tmp / "utf16"
    outdir.mkdir(exist_ok=True)
    lo.convert(src, "csv:Text - txt - csv (StarCalc):9,34,65535", outdir, CSV_UTF8_COMMA)
    shutil.copyfile(outdir / "broken_utf16.csv", out / "broken_utf16.csv")
    spec("broken_utf16.csv", tool="LibreOffice Calc 7.4 (text export, tab separated, character set Unicode (UTF-16))",
         shape="Excel \"Unicode-tekst\" (UTF-16LE with BOM, tab separated) renamed to .csv", sheet=None, refused=True,
         problems=["file starts with the UTF-16LE byte-order mark FF FE: unsupported encoding (every second byte is 0x00)"],
         notes=["Content: header `Naam`, `Functie`, `A1Q1`, `C1K1`, `C2K1` and 3 rows; it would be valid if saved as UTF-8."])


def make_zipbomb(path: Path) -> dict:
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              '</Relationships>')
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>C1K1</t></is></c></row>').encode()
    tail = b"</sheetData></worksheet>"
    # Each row holds a 30,000-character inline string (Excel's limit is 32,767) and the number 3. Long runs of one
    # byte compress ~950:1 with deflate (short repeating rows only ~340:1, too big for the < 2 MB budget).
    unit = b'<row><c t="inlineStr"><is><t>' + b"A" * 30000 + b"</t></is></c><c><v>3</v></c></row>"   # 30,063 bytes
    block = unit * (2**20 // len(unit))                            # 34 whole rows, ~1 MB
    blocks = 1024
    total = len(head) + len(block) * blocks + len(tail)

    def info(name, level=9):
        zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi._compresslevel = level
        zi.external_attr = 0o644 << 16
        return zi

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(info("[Content_Types].xml"), ct)
        zf.writestr(info("_rels/.rels"), rels)
        zf.writestr(info("xl/workbook.xml"), workbook)
        zf.writestr(info("xl/_rels/workbook.xml.rels"), wbrels)
        with zf.open(info("xl/worksheets/sheet1.xml"), "w") as fh:
            fh.write(head)
            for _ in range(blocks):
                fh.write(block)
            fh.write(tail)
    with zipfile.ZipFile(path) as zf:
        zi = zf.getinfo("xl/worksheets/sheet1.xml")
        assert zi.file_size == total
        return {"uncompressed": zi.file_size, "compressed": zi.compress_size, "file_size": path.stat().st_size}


# --------------------------------------------------------------------------------------------------
# Reference reader (check)
# --------------------------------------------------------------------------------------------------

META = {   # the same headers as META_HEADERS in src/import/columns.rs
    "id": {"id", "response id", "responseid", "antwoord-id", "respondent id"},
    "start": {"begintijd", "start time", "startdate", "date started", "starttijd"},
    "completed": {"tijd van voltooien", "completion time", "tijdstempel", "timestamp", "submitdate", "date submitted",
                  "datum ingediend", "enddate", "end date"},
    "email": {"e-mail", "email", "e-mailadres", "emailadres", "email address", "e-mail address", "recipientemail"},
    "name": {"naam", "name", "volledige naam", "full name"},
    "token": {"token"},
    "role": {"functie", "rol", "role", "function"},
    "team": {"team", "dienst", "afdeling", "department"},
    "group": {"respondentgroep", "groep", "respondent group"},
}


def norm(s) -> str:
    return " ".join(str(s).split()).casefold()


class Catalogue:
    def __init__(self, root: Path):
        fw = root / "framework"
        self.scale_of: dict[str, str] = {}
        self.text_nl: dict[str, str] = {}
        for a in tomllib.loads((fw / "aspects.toml").read_text())["aspect"]:
            for i in a["indicator"]:
                self.scale_of[i["code"]] = "maturity"
                self.text_nl[i["code"]] = i["text"]["nl"]
        for c in tomllib.loads((fw / "competences.toml").read_text())["cluster"]:
            for i in c["item"]:
                self.scale_of[i["code"]] = "proficiency"
                self.text_nl[i["code"]] = i["text"]["nl"]
        for f in sorted((root / "checklists").glob("*.toml")):
            d = tomllib.loads(f.read_text())
            for i in d["item"]:
                self.scale_of[i["code"]] = d["scale"]
        sc = tomllib.loads((fw / "scales.toml").read_text())
        self.scales = {}
        for s in sc["scale"]:
            labels = {}
            for lv in s["level"]:
                labels[norm(lv["label"]["nl"])] = lv["value"]
                labels[norm(lv["label"]["en"])] = lv["value"]
            self.scales[s["code"]] = (s["min"], s["max"], labels, {lv["value"]: lv["label"] for lv in s["level"]})
        self.missing = set()
        for m in sc["missing"]:
            self.missing |= {norm(m["label"]["nl"]), norm(m["label"]["en"])} | {norm(a) for a in m.get("aliases", [])}
        rp = tomllib.loads((fw / "role_profiles.toml").read_text())
        self.roles, self.groups, self.default_group = {}, {}, None
        for r in rp["role"]:
            for s in [r["name"]["nl"], r["name"]["en"], *r.get("aliases", [])]:
                self.roles[norm(s)] = r["code"]
        for g in rp["group"]:
            for s in [g["name"]["nl"], g["name"]["en"], g["code"], *g.get("aliases", [])]:
                self.groups[norm(s)] = g["code"]
            if g.get("default"):
                self.default_group = g["code"]

    def item_code(self, header) -> str | None:
        h = str(header).strip()
        if h.upper() in self.scale_of:
            return h.upper()
        for m in re.finditer(r"\[([^\]]*)\]", h):
            tok = m.group(1).split()
            if tok and tok[0].upper() in self.scale_of:
                return tok[0].upper()
        return None

    def parse(self, v, scale):
        """-> int, None (missing) or ('error', why)."""
        lo, hi, labels, _ = self.scales[scale]
        if v is None or v == "":
            return None
        if isinstance(v, bool):
            return ("error", "boolean")
        if isinstance(v, (int, float)):
            if float(v) != int(v):
                return ("error", f"value {v} is not a whole number")
            return int(v) if lo <= v <= hi else ("error", f"value {int(v)} outside {lo}–{hi}")
        s = norm(v)
        if s in self.missing:
            return None
        if re.fullmatch(r"-?\d+", s):
            n = int(s)
            return n if lo <= n <= hi else ("error", f"value {n} outside {lo}–{hi}")
        if re.fullmatch(r"-?\d+[.,]\d+", s):
            return ("error", f"value {s} is not a whole number")
        m = re.fullmatch(r"(\d+)\s*(?:-|–|\.)\s*(.+)", s)
        if m and labels.get(norm(m.group(2))) == int(m.group(1)):
            return int(m.group(1))
        if s in labels:
            return labels[s]
        return ("error", f"`{v}` is not a label")


def parse_date(v) -> dt.datetime | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, (int, float)):
        return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(v))
    s = str(v).strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})", s)
    if m:
        mo, d, y, h, mi, se = map(int, m.groups())
        return dt.datetime(y, mo, d, h, mi, se)
    m = re.fullmatch(r"(\d{4})/(\d{2})/(\d{2}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM) (?:GMT|UTC)([+-]\d{1,2})?", s)
    if m:
        y, mo, d, h, mi, se = map(int, m.groups()[:6])
        h = h % 12 + (12 if m.group(7) == "PM" else 0)
        off = int(m.group(8) or 0)
        return dt.datetime(y, mo, d, h, mi, se) - dt.timedelta(hours=off)   # as UTC
    return dt.datetime.fromisoformat(s)


def read_table(path: Path, sp: dict) -> tuple[list[list], str | None]:
    """Rows of cell values (None for empty) as the importer would see them, and the sheet name."""
    if path.suffix in (".xlsx", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        name = wb.sheet_names[0]
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return [[None if c == "" else c for c in r] for r in rows], name
    raw = path.read_bytes()
    enc = sp["encoding"]
    if enc == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: BOM expected"
    elif enc == "utf-8":
        assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM expected"
    elif enc == "cp1252":
        try:
            raw.decode("utf-8")
            raise AssertionError(f"{path.name}: must not be valid UTF-8")
        except UnicodeDecodeError:
            pass
    text = raw.decode(enc)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sp["delimiter"]))
    return [[None if c == "" else c for c in r] for r in rows], None


def check_good(cat: Catalogue, out: Path, sp: dict) -> dict:
    path = out / sp["file"]
    rows, sheet = read_table(path, sp)
    if sheet is not None:
        assert sheet == sp["sheet"], (sp["file"], sheet)
    header = rows[0]
    hr = sp.get("header_rows", 1)
    if hr == 3:
        assert all(str(c).startswith('{"ImportId":') for c in rows[2]), "Qualtrics row 3 must be ImportId JSON"
    data = rows[hr:]
    width = len(header)
    items, meta, ignored = {}, {}, []
    for j, h in enumerate(header):
        h = "" if h is None else str(h)
        code = cat.item_code(h)
        if code:
            assert code not in items.values(), f"{sp['file']}: duplicate item {code}"
            items[j] = code
            continue
        for field, names in META.items():
            if norm(h) in names:
                assert field not in meta, f"{sp['file']}: two {field} columns"
                meta[field] = j
                break
        else:
            ignored.append(f"{col_letter(j)} `{h}`")
    assert list(items.values()) == sp["codes"], (sp["file"], list(items.values()), sp["codes"])
    for code in items.values():
        assert cat.scale_of[code] == scale_of(code), code
    # values
    parsed_rows, problems = [], []
    for r, row in enumerate(data):
        row = list(row) + [None] * (width - len(row))
        vals = {}
        for j, code in items.items():
            p = cat.parse(row[j], cat.scale_of[code])
            if isinstance(p, tuple):
                problems.append(f"{col_letter(j)}{r + hr + 1} {p[1]}")
            vals[code] = p
        intended = sp["answers"][r]
        for code in sp["codes"]:
            want = intended[code]
            want = None if want in (DK, NA, EMPTY) else want
            assert vals[code] == want, (sp["file"], r, code, vals[code], want, row)
        parsed_rows.append((r, row, vals))
    assert not problems, (sp["file"], problems)
    assert len(data) == sp["rows"], (sp["file"], len(data))
    # dedup by e-mail (then token), later completion wins
    keep: dict[str, tuple] = {}
    order, replaced = [], []
    for r, row, vals in parsed_rows:
        key = None
        if "email" in meta and row[meta["email"]]:
            key = "email:" + norm(row[meta["email"]])
        elif "token" in meta and row[meta["token"]]:
            key = "token:" + str(row[meta["token"]])
        if key is None:
            order.append((r, row, vals))
            continue
        when = parse_date(row[meta["completed"]]) if "completed" in meta else None
        if key in keep:
            pr, prow, pvals, pwhen = keep[key]
            if pwhen is None or when is None or when >= pwhen:
                replaced.append((pr + hr + 1, r + hr + 1))
                keep[key] = (r, row, vals, when)
            else:
                replaced.append((r + hr + 1, pr + hr + 1))
        else:
            keep[key] = (r, row, vals, when)
    final = order + [(r, row, vals) for r, row, vals, _ in keep.values()]
    for f in ("name", "id", "token", "email"):   # no second way to collapse respondents
        if f in meta:
            given = [norm(row[meta[f]]) for _, row, _ in final if row[meta[f]] not in (None, "")]
            assert len(set(given)) == len(given), (sp["file"], f)
    assert len(final) == sp["distinct"] and len(replaced) == sp["replaced"], (sp["file"], len(final), replaced)
    # dates parse
    for f in ("start", "completed"):
        if f in meta:
            for _, row, _ in parsed_rows:
                if row[meta[f]] is not None:
                    parse_date(row[meta[f]])
    answered = sum(1 for _, _, v in final for x in v.values() if x is not None)
    missing = sum(1 for _, _, v in final for x in v.values() if x is None)
    roles, groups, warnings = {}, {}, []
    for r, row, _ in sorted(final, key=lambda t: t[0]):
        if "role" in meta and row[meta["role"]] is not None:
            code = cat.roles.get(norm(row[meta["role"]]))
            if code is None:
                warnings.append(f"{sheet or sp['file']}!{col_letter(meta['role'])}{r + hr + 1} role `{row[meta['role']]}`")
            roles[code or "(unknown)"] = roles.get(code or "(unknown)", 0) + 1
        g = cat.default_group
        if "group" in meta and row[meta["group"]] is not None:
            g = cat.groups.get(norm(row[meta["group"]]))
            if g is None:
                warnings.append(f"{sheet or sp['file']}!{col_letter(meta['group'])}{r + hr + 1} group `{row[meta['group']]}`")
                g = "(unknown)"
        groups[g] = groups.get(g, 0) + 1
    assert [w.split("!")[1].split()[0] for w in warnings] == sp.get("warning_cells", []), (sp["file"], warnings)
    for ref, want in sp.get("cells", {}).items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        c = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(m.group(1)))) - 1
        r = int(m.group(2)) - 1
        got = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        if isinstance(got, (int, float)) and isinstance(want, (int, float)):
            got, want = float(got), float(want)
        assert got == want, (sp["file"], ref, got, want)
    missing_cells = []
    for r, row, vals in parsed_rows:
        for j, code in items.items():
            if vals[code] is None:
                missing_cells.append(f"{col_letter(j)}{r + hr + 1} " + ("empty" if row[j] is None else f"`{row[j]}`"))
    kinds = {"indicator": 0, "competence": 0, "checklist": 0}
    for code in items.values():
        kinds[kind(code)] += 1
    return dict(file=sp["file"], outcome="imports with warnings" if warnings else "imports", sheet=sheet,
                header_row=1, data_rows=f"{hr + 1}–{hr + len(data)}", rows=len(data), distinct=len(final),
                replaced=[f"row {a} replaced by row {b}" for a, b in replaced],
                items={f"{col_letter(j)}": c for j, c in items.items()}, kinds=kinds,
                metadata={f: f"{col_letter(j)} `{header[j]}`" for f, j in meta.items()}, ignored=ignored,
                answers_stored=answered, answers_missing=missing, missing_cells=missing_cells, roles=roles, groups=groups,
                warnings=sp.get("warnings", []),
                problems=[], notes=sp.get("notes", []), tool=sp["tool"], shape=sp["shape"], size=path.stat().st_size)


def check_broken(cat: Catalogue, out: Path, sp: dict) -> dict:
    import openpyxl

    path = out / sp["file"]
    f = sp["file"]
    res = dict(file=f, outcome="refused", tool=sp["tool"], shape=sp["shape"], problems=sp["problems"], notes=sp.get("notes", []),
               size=path.stat().st_size, sheet=sp.get("sheet"), kinds=None, rows=None, distinct=None, ignored=[])
    if f == "broken_truncated.xlsx":
        try:
            zipfile.ZipFile(path)
            raise AssertionError("truncated zip opened")
        except zipfile.BadZipFile:
            pass
        assert path.stat().st_size == sp["full_size"] // 2
    elif f == "broken_out_of_scale.xlsx":
        rows, sheet = read_table(path, {})
        header = rows[0]
        items = {j: cat.item_code(h) for j, h in enumerate(header) if h and cat.item_code(h)}
        found = []
        for r, row in enumerate(rows[1:], start=2):
            for j, code in items.items():
                p = cat.parse(row[j], cat.scale_of[code])
                if isinstance(p, tuple):
                    found.append(f"{col_letter(j)}{r}")
        assert sorted(found) == sorted(sp["bad_cells"]), (found, sp["bad_cells"])
        wb = openpyxl.load_workbook(path)
        for ref, v in sp["bad_cells"].items():
            assert wb["Blad1"][ref].value == v, (ref, wb["Blad1"][ref].value, v)
        res.update(rows=len(rows) - 1, kinds={"indicator": 2, "competence": 2, "checklist": 2})
    elif f == "broken_duplicate_headers.xlsx":
        rows, sheet = read_table(path, {})
        codes = [(col_letter(j), cat.item_code(h)) for j, h in enumerate(rows[0]) if cat.item_code(h)]
        assert [c for _, c in codes] == ["C1K1", "A1Q1", "C2K1", "C1K1"] and codes[0][0] == "C" and codes[3][0] == "F", codes
        res.update(rows=len(rows) - 1)
    elif f == "broken_empty.xlsx":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        assert wb.sheet_names == ["Blad1"]
        assert wb.get_sheet_by_name("Blad1").to_python() == []
        res.update(rows=0)
    elif f == "broken_formulas.xlsx":
        wb = openpyxl.load_workbook(path)
        ws = wb["Blad1"]
        formulas = {c.coordinate: c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")}
        assert formulas == {"F3": "=1+2", "D4": "=1+2", "G5": "=1+2"}, formulas
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/worksheets/sheet1.xml").decode()
        assert '<c r="F3"><f>1+2</f><v>3</v></c>' in xml, xml
        assert '<c r="D4"><f>1+2</f><v>0</v></c>' in xml, xml
        assert '<c r="G5"><f>1+2</f><v></v></c>' in xml, xml
        rows, _ = read_table(path, {})
        res.update(rows=len(rows) - 1, cached={"F3": rows[2][5], "D4": rows[3][3], "G5": rows[4][6]})
    elif f == "broken_merged_header.xlsx":
        wb = openpyxl.load_workbook(path)
        assert [str(r) for r in wb["Blad1"].merged_cells.ranges] == ["G1:I1"]
        assert wb["Blad1"]["G1"].value == "Competenties [C1K1]"
        res.update(rows=wb["Blad1"].max_row - 1)
    elif f == "broken_zipbomb.xlsx":
        with zipfile.ZipFile(path) as z:
            zi = z.getinfo("xl/worksheets/sheet1.xml")
            assert zi.file_size == sp["uncompressed"] and zi.file_size > 10**9
            assert path.stat().st_size < 2 * 2**20
            assert z.read("[Content_Types].xml").startswith(b"<?xml")
    elif f == "broken_utf16.csv":
        raw = path.read_bytes()
        assert raw[:2] == b"\xff\xfe"
        text = raw.decode("utf-16")
        assert text.lstrip("\ufeff").startswith("Naam\tFunctie\tA1Q1"), text[:40]
    return res


def check(out: Path) -> list[dict]:
    cat = Catalogue(ROOT)
    for code, (sc, _, _) in ITEMS.items():
        assert cat.scale_of.get(code) == sc, f"{code}: not in the catalogue with scale {sc}"
    for sc, (lo, hi, labels) in SCALES.items():
        clo, chi, _, clabels = cat.scales[sc]
        assert (lo, hi) == (clo, chi) and all(clabels[v]["nl"] == l[0] and clabels[v]["en"] == l[1] for v, l in labels.items()), sc
    results = []
    for name, sp in SPECS.items():
        results.append(check_broken(cat, out, sp) if sp.get("refused") else check_good(cat, out, sp))
    # the three LibreOffice files hold the same cells
    tables = [read_table(out / f"libreoffice.{e}", {})[0] for e in ("ods", "xlsx", "xls")]
    canon = [[[(float(c) if isinstance(c, (int, float)) else c) for c in r] for r in t] for t in tables]
    assert canon[0] == canon[1] == canon[2], "LibreOffice files differ"
    return results


# --------------------------------------------------------------------------------------------------
# README / expected.json
# --------------------------------------------------------------------------------------------------

def write_docs(out: Path, results: list[dict]) -> None:
    good = [r for r in results if r["outcome"] != "refused"]
    bad = [r for r in results if r["outcome"] == "refused"]
    L = []
    a = L.append
    a("# Import fixtures")
    a("")
    a("Spreadsheet and CSV files in the shapes blendscan's importer meets: exports of Microsoft Forms, Google Forms,")
    a("LimeSurvey and Qualtrics, lists saved by Excel and LibreOffice, and broken files it must refuse. All are")
    a("written by real writers (openpyxl, XlsxWriter, LibreOffice Calc; Python's csv module where the original is a")
    a("web service that cannot run here) and regenerated, byte for byte, by")
    a("")
    a("```sh")
    a("scripts/make-fixtures.sh            # installs LibreOffice and the pinned Python writers when missing, then writes and checks everything")
    a("```")
    a("")
    a("After writing, the script reads every file back (python-calamine, openpyxl, csv) with a small reference reader")
    a("that follows the import rules, asserts the values each file was meant to hold, and writes this README and")
    a("`expected.json` (the same facts, machine-readable) from what it read. Do not edit either by hand;")
    a("`scripts/make-fixtures.sh check` re-checks the committed files without rewriting them.")
    a("")
    a("Names and e-mail addresses are invented. Rows and cells use spreadsheet numbering: row 1 is the header, so")
    a("the first respondent is row 2 (row 4 in `qualtrics.csv`); CSV columns are lettered like a sheet.")
    a("")
    a("Assumptions the reference reader makes where the import rules leave a choice (tests may pin them differently):")
    a("")
    a("- Duplicates are found by e-mail (trimmed, case-insensitive); the response with the later completion time wins.")
    a("  Only the two Microsoft Forms files contain a duplicate; in every other file e-mail, token, ID and name are unique.")
    a("- LimeSurvey and Qualtrics dates are `YYYY-MM-DD HH:MM:SS` (ISO 8601 date and time with a space, no zone).")
    a("- A group value that matches no group is a warning, not an error; the respondent keeps the default group.")
    a("- Answer counts below: *answers stored* = item cells holding a value on the scale in the rows kept after dedup;")
    a("  *missing* = empty cells and missing labels (`Weet ik niet`, `n.v.t.`, `N/A`, …) in those rows.")
    a("")
    a("## Files that must import")
    a("")
    a("| file | written by | shape | respondent rows | distinct after dedup | items: indicators / competence / checklist | ignored columns | outcome |")
    a("|---|---|---|---|---|---|---|---|")
    for r in good:
        k = r["kinds"]
        ign = ", ".join(r["ignored"]) or "–"
        dup = f"{r['distinct']} ({len(r['replaced'])} duplicate replaced)" if r["replaced"] else str(r["distinct"])
        a(f"| `{r['file']}` | {r['tool']} | {r['shape']} | {r['rows']} | {dup} | {k['indicator']} / {k['competence']} / "
          f"{k['checklist']} | {ign} | {r['outcome']} |")
    a("")
    a("Checklist items include the paradox `PAR*` items (scale `position`, 1–5); `POS*`/`VIS*` use scale `checklist` (0–2).")
    a("")
    a("## Files that must be refused")
    a("")
    a("| file | written by | imitates | expected problems (sheet!cell) |")
    a("|---|---|---|---|")
    for r in bad:
        a(f"| `{r['file']}` | {r['tool']} | {r['shape']} | " + "<br>".join(r["problems"]) + " |")
    a("")
    a("## Details per file")
    for r in results:
        a("")
        a(f"### `{r['file']}` ({r['size']:,} bytes)")
        a("")
        if r["outcome"] == "refused":
            for p in r["problems"]:
                a(f"- refused: {p}")
            if r.get("cached"):
                a(f"- cached values a non-formula reader sees: " + ", ".join(f"{k} → {v!r}" for k, v in r["cached"].items()))
            for n in r["notes"]:
                a(f"- {n}")
            continue
        if r["sheet"]:
            a(f"- sheet `{r['sheet']}`, header row 1, data rows {r['data_rows']}")
        else:
            a(f"- header row 1, data rows {r['data_rows']}")
        a("- items: " + ", ".join(f"{c} `{code}`" for c, code in r["items"].items()))
        a("- metadata: " + ", ".join(f"{f} = {v}" for f, v in r["metadata"].items()))
        a(f"- ignored: {', '.join(r['ignored']) or 'none'}")
        if r["replaced"]:
            a(f"- duplicates: {'; '.join(r['replaced'])} (same e-mail, later completion time wins)")
        a(f"- after dedup: {r['distinct']} respondents, {r['answers_stored']} answers stored, {r['answers_missing']} item cells "
          f"missing (empty or a missing label)")
        a(f"- missing item cells in the file (all rows, before dedup): {', '.join(r['missing_cells']) or 'none'}")
        a("- roles: " + ", ".join(f"{k} {v}" for k, v in sorted(r["roles"].items())) if r["roles"] else "- roles: no role column")
        a("- groups: " + ", ".join(f"{k} {v}" for k, v in sorted(r["groups"].items())))
        for w in r["warnings"]:
            a(f"- warning: {w}")
        for n in r["notes"]:
            a(f"- {n}")
    a("")
    a("## Benchmark input (not committed)")
    a("")
    a("```sh")
    a("scripts/make-fixtures.sh bench /tmp/bench.xlsx            # 5,000 respondents × 150 items, XlsxWriter constant_memory")
    a("scripts/make-fixtures.sh bench /tmp/bench.csv             # the same as UTF-8 CSV (comma)")
    a("scripts/make-fixtures.sh bench /tmp/b.xlsx --rows 20000 --items 190 --seed 7")
    a("```")
    a("")
    a("Columns `ID`, `E-mail` (unique per row), `Functie`, `Team`, then the first 45 indicators (A1Q1…A9Q5) and")
    a("competence items in catalogue order up to `--items` (default 150: 45 indicators + 105 competence items);")
    a("numeric answers, about 5 % empty cells, fixed seed. Sheet `Blad1`.")
    a("")
    (out / "README.md").write_text("\n".join(L))
    (out / "expected.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------------------------------
# Benchmark
# --------------------------------------------------------------------------------------------------

def bench(out: Path, rows: int, n_items: int, seed: int, fmt: str, headers: str = "codes") -> None:
    cat = Catalogue(ROOT)
    inds = [c for c, s in cat.scale_of.items() if s == "maturity"]
    comps = [c for c, s in cat.scale_of.items() if s == "proficiency"]
    codes = (inds + comps)[:n_items]
    if len(codes) < n_items:
        sys.exit(f"the catalogue has only {len(codes)} indicators and competence items")
    rng = random.Random(seed)
    roles = ["Hulpverlener", "Teamcoördinator", "Stafmedewerker", "Vrijwilliger", "Begeleider", "Directeur", "Social worker"]
    teams = ["Team Noord", "Team Zuid", "Onthaal", "Jongerenwerking", "Stafdienst", "Directie"]
    header = ["ID", "E-mail", "Functie", "Team"] + (codes if headers == "codes" else [cat.text_nl[c] for c in codes])
    bounds = [(0, 4) if cat.scale_of[c] == "maturity" else (1, 5) for c in codes]

    def gen():
        for i in range(rows):
            t = rng.random()
            vals = []
            for lo, hi in bounds:
                if rng.random() < 0.05:
                    vals.append(None)
                else:
                    vals.append(int(min(hi, max(lo, round(lo + t * (hi - lo) + rng.gauss(0, 0.8))))))
            yield [i + 1, f"medewerker{i + 1:05d}@bench-demo.be", rng.choice(roles), rng.choice(teams)] + vals

    if fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(header)
            for r in gen():
                w.writerow(["" if v is None else v for v in r])
    else:
        wb = xlsxwriter_book(out, constant_memory=True)
        ws = wb.add_worksheet("Blad1")
        ws.write_row(0, 0, header)
        for r, row in enumerate(gen(), start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
        wb.close()
    print(f"{out}: {rows} respondents × {len(codes)} items ({sum(1 for c in codes if c in inds)} indicators), "
          f"{out.stat().st_size:,} bytes")


# --------------------------------------------------------------------------------------------------

def build_all(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="blendscan-fixtures-") as t:
        tmp = Path(t)
        lo = Soffice(tmp)
        msforms_nl(out)
        msforms_en(out)
        google_forms(out)
        limesurvey(out)
        excel_windows1252(out, tmp, lo)
        libreoffice_tables(out, tmp, lo)
        qualtrics(out)
        mixed_roles_groups(out)
        broken(out, tmp, lo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("all", "check"):
        p = sub.add_parser(name)
        p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    b = sub.add_parser("bench")
    b.add_argument("out", type=Path)
    b.add_argument("--rows", type=int, default=5000)
    b.add_argument("--items", type=int, default=150)
    b.add_argument("--seed", type=int, default=SEED)
    b.add_argument("--format", choices=("xlsx", "csv"))
    b.add_argument("--headers", choices=("codes", "text"), default="codes",
                   help="text: the Dutch question texts as headers, without codes")
    k = sub.add_parser("coordinators")
    k.add_argument("--out", type=Path, default=DEFAULT_OUT / "coordinators")
    args = ap.parse_args()
    if args.cmd == "coordinators":
        import fixtures_coordinators
        for e in fixtures_coordinators.build(ROOT, args.out):
            print(f"{e['file']:28} {e['outcome']}")
        return
    if args.cmd == "bench":
        fmt = args.format or ("csv" if args.out.suffix.lower() == ".csv" else "xlsx")
        bench(args.out, args.rows, args.items, args.seed, fmt, args.headers)
        return
    if args.cmd == "all":
        build_all(args.out)
    else:
        # the spec is made by the writers: run them in a scratch directory, leaving the fixtures untouched
        with tempfile.TemporaryDirectory(prefix="blendscan-spec-") as t:
            build_all(Path(t))
    results = check(args.out)
    if args.cmd == "all":
        write_docs(args.out, results)
    total = sum((args.out / r["file"]).stat().st_size for r in results)
    for r in results:
        print(f"{r['file']:32} {r['size']:>10,} bytes  {r['outcome']}")
    print(f"{len(results)} fixtures, {total:,} bytes, all checks passed")


if __name__ == "__main__":
    main()
