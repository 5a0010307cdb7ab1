"""Fixtures for issue 17: questionnaires as coordinators build them, not only coded ones.

Written by real writers (openpyxl, XlsxWriter, LibreOffice Calc for .xls/.ods, Python's csv module for
the web exports) into tests/fixtures/coordinators/, with expected.json saying what each must do. Every
file carries the same twelve people and answers as `coded.xlsx`, so a file that imports must give the
same scores as its coded twin. Called by make_fixtures.py (`coordinators` and `all`).
"""
from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.styles import Font

SEED = 17_2026
PEOPLE = [
    ("An Peeters", "Hulpverlener", "Team Noord"), ("Bram Claes", "Teamcoördinator", "Team Noord"),
    ("Chloë Maes", "Hulpverlener", "Team Zuid"), ("Dries Jacobs", "Stafmedewerker", "Stafdienst"),
    ("Eva Willems", "Hulpverlener", "Team Zuid"), ("Fien Mertens", "Vrijwilliger", "Onthaal"),
    ("Gert Wouters", "Hulpverlener", "Team Noord"), ("Hanne Goossens", "Teamcoördinator", "Team Zuid"),
    ("Ilse De Smet", "Hulpverlener", "Onthaal"), ("Jens Dubois", "Stafmedewerker", "Stafdienst"),
    ("Kato Lambrechts", "Hulpverlener", "Team Noord"), ("Lars Hermans", "Hulpverlener", "Team Zuid"),
]


class Questions:
    """The catalogue's questions with their texts, from framework/*.toml and checklists/*.toml."""

    def __init__(self, root: Path):
        fw = root / "framework"
        self.text: dict[str, dict[str, str]] = {}
        self.scale: dict[str, str] = {}
        self.cluster: dict[str, str] = {}
        for a in tomllib.loads((fw / "aspects.toml").read_text())["aspect"]:
            for i in a["indicator"]:
                self.text[i["code"]], self.scale[i["code"]] = i["text"], "maturity"
                self.cluster[i["code"]] = a["code"]
        for c in tomllib.loads((fw / "competences.toml").read_text())["cluster"]:
            for i in c["item"]:
                self.text[i["code"]], self.scale[i["code"]] = i["text"], "proficiency"
                self.cluster[i["code"]] = c["code"]
        for f in sorted((root / "checklists").glob("*.toml")):
            d = tomllib.loads(f.read_text())
            for i in d["item"]:
                self.text[i["code"]], self.scale[i["code"]] = i["text"], d["scale"]
                self.cluster[i["code"]] = d["code"] if "code" in d else f.stem
        sc = tomllib.loads((fw / "scales.toml").read_text())
        self.labels = {s["code"]: {lv["value"]: lv["label"] for lv in s["level"]} for s in sc["scale"]}
        self.range = {s["code"]: (s["min"], s["max"]) for s in sc["scale"]}

    def of(self, group: str) -> list[str]:
        return [c for c, g in self.cluster.items() if g == group]


def answers(q: Questions, codes: list[str]) -> list[dict[str, int | None]]:
    rng = random.Random(SEED)
    out = []
    for i, _ in enumerate(PEOPLE):
        t = rng.random()
        row = {}
        for c in codes:
            lo, hi = q.range[q.scale[c]]
            row[c] = None if rng.random() < 0.04 else int(min(hi, max(lo, round(lo + t * (hi - lo) + rng.gauss(0, 0.7)))))
        out.append(row)
    return out


def email(name: str) -> str:
    first, *rest = name.lower().replace("ë", "e").split(" ")
    return f"{first}.{''.join(rest)}@caw-demo.be"


def times(i: int, style: str) -> str:
    """Completion times; `be` is Belgian day-first, partly without seconds."""
    hour = 8 + i % 9
    if style == "be":
        return f"{1 + 2 * i}/12/2026 {hour}:15" + (":03" if i % 2 else "")
    return f"12/{13 + i}/2026 {hour}:15:03"


META_NL = ["ID", "Tijd van voltooien", "E-mail", "Naam", "Functie", "Team"]
META_EN = ["ID", "Completion time", "Email", "Name", "Role", "Team"]


def meta_row(i: int, lang: str = "nl", date_style: str = "us") -> list:
    name, role, team = PEOPLE[i]
    return [i + 1, times(i, date_style), email(name), name, role, team]


def write_xlsx(path: Path, header: list, rows: list[list], *, sheet="Blad1", before=None, after=None,
               empty_first=False, format_to_end=False, title=None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    if empty_first:
        ws.title = "Leeg"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    r0 = 1
    if title:
        ws.cell(1, 1, title).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        r0 = 3
    for c, h in enumerate(header, start=1):
        ws.cell(r0, c, h)
    for r, row in enumerate(rows, start=r0 + 1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    if after:
        after(ws, r0 + len(rows) + 1)
    if format_to_end:
        # What Excel leaves behind when a whole column is formatted: styled empty cells to the last row.
        ws.cell(1_048_576, 1).font = Font(bold=True)
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2026, 12, 1, 9, 0)
    wb.save(path)


def build(root: Path, out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    q = Questions(root)
    codes = q.of("A1") + q.of("A6") + q.of("C1") + q.of("C2")
    ans = answers(q, codes)
    expected: list[dict] = []

    def cells(i, header_codes):
        return [ans[i][c] for c in header_codes]

    def spec(file, outcome, **kw):
        expected.append({"file": file, "outcome": outcome, "respondents": len(PEOPLE), "items": len(codes), **kw})

    # 1. The coded twin: `text [CODE]`, as the template writes it.
    write_xlsx(out / "coded.xlsx", META_NL + [f"{q.text[c]['nl']} [{c}]" for c in codes],
               [meta_row(i) + cells(i, codes) for i in range(len(PEOPLE))])
    spec("coded.xlsx", "imports", twin=True)
    # 2. Dutch question texts without codes (a Microsoft Form built from the framework), XlsxWriter.
    wb = xlsxwriter.Workbook(str(out / "text_nl.xlsx"))
    wb.set_properties({"created": __import__("datetime").datetime(2026, 12, 1, 9, 0)})
    ws = wb.add_worksheet("Blad1")
    ws.write_row(0, 0, META_NL + [q.text[c]["nl"] for c in codes])
    for i in range(len(PEOPLE)):
        row = meta_row(i) + [q.labels[q.scale[c]][v]["nl"] if v is not None else None for c, v in zip(codes, cells(i, codes))]
        for col, v in enumerate(row):
            if v is not None:
                ws.write(i + 1, col, v)
    wb.close()
    spec("text_nl.xlsx", "imports", twin=True)
    # 3. English texts, Google Forms: numbered indicators, competences in grids `Title [Row]`, CSV.
    header = ["Timestamp", "Email address", "Role", "Team"]
    for n, c in enumerate(codes, start=1):
        t = q.text[c]["en"]
        header.append(f"{n}. {t}" if q.scale[c] == "maturity" else f"Digital competences [{t}]")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    for i in range(len(PEOPLE)):
        name, role, team = PEOPLE[i]
        h = 8 + i % 9
        clock = f"{h if h <= 12 else h - 12}:15:03 {'AM' if h < 12 else 'PM'}"
        w.writerow([f"2026/12/{13 + i:02d} {clock} GMT+1", email(name), role, team]
                   + ["" if v is None else v for v in cells(i, codes)])
    (out / "text_en.csv").write_bytes(buf.getvalue().encode("utf-8"))
    spec("text_en.csv", "imports", twin=True)
    # 4. Microsoft Forms Likert export: `Title.C1K1 Statement`.
    write_xlsx(out / "msforms_likert.xlsx", META_NL + [f"Competenties.{c} {q.text[c]['nl']}" for c in codes],
               [meta_row(i) + cells(i, codes) for i in range(len(PEOPLE))])
    spec("msforms_likert.xlsx", "imports", twin=True)
    # 5. Lightly edited texts: three proposals, confirmed once through a mapping file.
    edited = {codes[1]: lambda t: t.replace("Onze organisatie", "Onze dienst").replace("We ", "Wij "),
              codes[-3]: lambda t: t.rstrip(".") + " in mijn werk.", codes[-1]: lambda t: "Volgens mij: " + t}
    headers = [edited[c](q.text[c]["nl"]) if c in edited else q.text[c]["nl"] for c in codes]
    write_xlsx(out / "text_edited.xlsx", META_NL + headers, [meta_row(i) + cells(i, codes) for i in range(len(PEOPLE))])
    spec("text_edited.xlsx", "needs confirmation", proposals=sorted(edited))
    # 6. Every other header coded, the others reworded beyond recognition: must not import silently.
    mixed = [f"{q.text[c]['nl']} [{c}]" if n % 2 == 0 else "Hoe " + " ".join(reversed(q.text[c]["nl"].split()[:-1])) + "?"
             for n, c in enumerate(codes)]
    write_xlsx(out / "half_coded.xlsx", META_NL + mixed, [meta_row(i) + cells(i, codes) for i in range(len(PEOPLE))])
    spec("half_coded.xlsx", "needs confirmation")
    # 7. A realistic workbook: empty first sheet, merged title, totals row of AVERAGE formulas,
    #    formatting down to row 1,048,576.
    def totals(ws, row):
        ws.cell(row, 1, "Gemiddelde")
        for c in range(7, 7 + len(codes)):
            col = openpyxl.utils.get_column_letter(c)
            ws.cell(row, c, f"=AVERAGE({col}4:{col}{row - 1})")
    write_xlsx(out / "layout.xlsx", META_NL + [f"{q.text[c]['nl']} [{c}]" for c in codes],
               [meta_row(i) + cells(i, codes) for i in range(len(PEOPLE))], sheet="Antwoorden",
               empty_first=True, title="Zelfscan blended werken 2026", after=totals, format_to_end=True)
    spec("layout.xlsx", "refused", problem="Antwoorden!A16", message="totals")
    write_xlsx(out / "layout_clean.xlsx", META_NL + [f"{q.text[c]['nl']} [{c}]" for c in codes],
               [meta_row(i) + cells(i, codes) for i in range(len(PEOPLE))], sheet="Antwoorden",
               empty_first=True, title="Zelfscan blended werken 2026", format_to_end=True)
    spec("layout_clean.xlsx", "imports", twin=True)
    # 8. Two sheets with questions: the importer names them and --sheet.
    wb = openpyxl.Workbook()
    for n, name in enumerate(["Team Noord", "Team Zuid"]):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = name
        ws.append(META_NL + codes)
        for i in range(n, len(PEOPLE), 2):
            ws.append(meta_row(i) + cells(i, codes))
    wb.save(out / "two_sheets.xlsx")
    spec("two_sheets.xlsx", "refused", message="--sheet")
    # 9. Belgian dates, day first, with and without seconds; semicolon CSV as Excel writes it.
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(META_NL + codes)
    for i in range(len(PEOPLE)):
        w.writerow(["" if v is None else v for v in meta_row(i, date_style="be") + cells(i, codes)])
    (out / "dates_be.csv").write_bytes(buf.getvalue().encode("cp1252"))
    spec("dates_be.csv", "imports", twin=True)
    # 10. Answer spellings and Microsoft Forms' multi-select `;`.
    spellings = ["3-Zelfstandig", "Zelfstandig (3)", "Zelfstandig.", "Ik weet het niet", "Geen mening", "-", "4;"]
    comp = q.of("C1")[:len(spellings)]
    write_xlsx(out / "answers.xlsx", META_NL + comp,
               [meta_row(i)[:5] + ["Team Noord;"] + spellings for i in range(3)])
    spec("answers.xlsx", "imports", respondents=3, items=len(comp), values={"3": 3, "missing": 3, "4": 1},
         warnings=["Blad1!F2", "Blad1!M2"])
    write_xlsx(out / "answers_multi.xlsx", META_NL + comp[:1], [meta_row(0) + ["3;4"]])
    spec("answers_multi.xlsx", "refused", problem="Blad1!G2", message=";")
    # 11. Anonymous answers typed into a sheet of its own (role and team, nobody's identity), and the
    #     same sheet corrected: one answer changed. Each row is a person of its own, so importing the
    #     corrected sheet beside the first would count everyone twice: the import asks (`--replaces`).
    anon = ["Functie", "Team"] + [f"{q.text[c]['nl']} [{c}]" for c in codes]
    rows = [list(PEOPLE[i][1:]) + cells(i, codes) for i in range(len(PEOPLE))]
    write_xlsx(out / "anonymous.xlsx", anon, rows)
    spec("anonymous.xlsx", "imports")
    corrected = [list(r) for r in rows]
    corrected[2][2] = 1 if corrected[2][2] != 1 else 2
    write_xlsx(out / "anonymous_corrected.xlsx", anon, corrected)
    spec("anonymous_corrected.xlsx", "resembles", resembles="anonymous.xlsx", equal_rows=len(PEOPLE) - 1,
         changed={"row": 4, "code": codes[0], "value": corrected[2][2]})
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    office(out, q)
    return expected


def office(out: Path, q: Questions) -> None:
    """The full template as .xls (256 columns at most) and .ods, converted by LibreOffice Calc."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice not found: template_256.xls and layout.ods not written")
        return
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        codes = list(q.text)
        ans = answers(q, codes)
        header = META_NL + [f"{q.text[c]['nl']} [{c}]" for c in codes]
        write_xlsx(tmp / "template_256.xlsx", header, [meta_row(i) + [ans[i][c] for c in codes] for i in range(len(PEOPLE))])
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                        "xls:MS Excel 97", "--outdir", str(tmp / "o"), str(tmp / "template_256.xlsx")],
                       check=True, capture_output=True)
        shutil.copy(tmp / "o" / "template_256.xls", out / "template_256.xls")
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                        "ods", "--outdir", str(tmp / "o"), str(out / "layout_clean.xlsx")], check=True, capture_output=True)
        shutil.copy(tmp / "o" / "layout_clean.ods", out / "layout_clean.ods")
    exp = json.loads((out / "expected.json").read_text())
    exp.append({"file": "template_256.xls", "outcome": "imports with warnings", "respondents": len(PEOPLE),
                "items": 256 - len(META_NL), "lost": codes[256 - len(META_NL):]})
    exp.append({"file": "layout_clean.ods", "outcome": "imports", "respondents": len(PEOPLE), "twin": True})
    (out / "expected.json").write_text(json.dumps(exp, indent=1, ensure_ascii=False) + "\n")
