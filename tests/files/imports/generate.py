"""Regenerates the price-list test files in this folder (run from the project root:
`.venv/bin/python tests/files/imports/generate.py`). The files are committed; this script
documents how each was made. password-protected.xlsx needs msoffcrypto-tool, which is not a
project dependency (`pip install --target /tmp/tools msoffcrypto-tool`, PYTHONPATH=/tmp/tools).

Every file refers to the small world built by tests/publishing/test_imports.py: Narva with
home-care (75012345, 5,50 €/hour from 2024-01-01) and personal-support (80012345, 40,00 /
18,00 €/hour from 2024-01-01)."""

import io
import pathlib

from openpyxl import Workbook

HERE = pathlib.Path(__file__).parent
HEADER_ET = [
    "Liik (komponent või teenus)",
    "Kataloogi kood",
    "Nimetus",
    "Teenuseosutaja registrikood",
    "Teenuseosutaja",
    "Ühiku kood",
    "Ühik",
    "Ühiku hind, individuaalne (EUR)",
    "Ühiku hind, grupp (EUR)",
    "Kliendi omaosalus (EUR)",
    "Kliendi omaosalus (%)",
    "Kehtib alates",
    "Kehtib kuni",
]
KEYS = [
    "kind",
    "code",
    "name",
    "provider_registry_code",
    "provider_name",
    "unit_code",
    "unit_name",
    "price_individual",
    "price_group",
    "client_share_amount",
    "client_share_percent",
    "valid_from",
    "valid_to",
]
HEADER_RU = [
    "Вид (компонент или услуга)",
    "Код в каталоге",
    "Название",
    "Регистрационный код поставщика",
    "Поставщик услуги",
    "Код единицы",
    "Единица",
    "Цена за единицу, индивидуально (EUR)",
    "Цена за единицу, группа (EUR)",
    "Доля клиента (EUR)",
    "Доля клиента (%)",
    "Действует с",
    "Действует до",
]

HOME_CARE = [
    "service",
    "home-care",
    "Koduteenus",
    "75012345",
    "Narva Linna Sotsiaalabiamet",
    "hour",
    "tund",
    "6,00",
    "",
    "",
    "",
    "2026-01-01",
    "",
]
NEW_SUPPORT = [
    "service",
    "support-person",
    "Tugiisikuteenus",
    "80012345",
    "MTÜ Narva Tugi",
    "hour",
    "tund",
    "8,50",
    "",
    "",
    "10",
    "2026-01-01",
    "",
]


def row(**changes):
    values = dict(zip(KEYS, HOME_CARE, strict=True))
    values.update(changes)
    return [values[k] for k in KEYS]


def csv_text(rows, header=HEADER_ET, sep=";"):
    return "\r\n".join(sep.join(cells) for cells in [header, *rows]) + "\r\n"


def write(name, data):
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def xlsx(rows, header=HEADER_ET, formula_cell=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells in rows:
        converted = []
        for key, value in zip(KEYS, cells, strict=True):
            if key.startswith(("price", "client")) and value:
                converted.append(float(value.replace(",", ".")))
            else:
                converted.append(value or None)
        sheet.append(converted)
    if formula_cell:
        sheet[formula_cell] = "=5+5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# English header with the optional availability columns: an availability-only row for home
# care, and a new offer giving its price and availability in one row.
VALID_AVAILABILITY = "".join(
    ";".join(cells) + "\n"
    for cells in [
        ["Kind (component or service)", "Catalogue code", "Name", "Provider registry code", "Provider"]
        + ["Unit code", "Unit", "Price per unit, individual (EUR)", "Price per unit, group (EUR)"]
        + ["Client's share (EUR)", "Client's share (%)", "Valid from", "Valid to", "Places in total"]
        + ["Free places now", "Waiting time (days)", "Availability stated on"],
        ["service", "home-care", "Koduteenus", "75012345", "Narva Linna Sotsiaalabiamet"]
        + [""] * 8
        + ["20", "3", "14", "28.11.2025"],
        ["service", "support-person", "Tugiisikuteenus", "80012345", "MTÜ Narva Tugi", "hour", "tund"]
        + ["8,50", "", "", "10", "2026-01-01", "", "5", "5", "", "2025-11-30"],
    ]
)


def main():
    good = [HOME_CARE, NEW_SUPPORT]
    # -- valid files ---------------------------------------------------------------------
    write("valid-availability.csv", VALID_AVAILABILITY)
    write("valid-utf8.csv", csv_text(good))
    write("valid-utf8-bom.csv", "\ufeff" + csv_text(good))
    write("valid-windows-1257.csv", csv_text(good).encode("cp1257"))
    write("valid-russian-header.csv", csv_text(good, header=HEADER_RU))
    write(
        "valid-comma-separated.csv",
        csv_text([[f'"{c}"' if "," in c else c for c in r] for r in good], header=KEYS, sep=","),
    )
    write(
        "valid-dotted-dates-and-points.csv", csv_text([row(price_individual="6.00", valid_from="01.01.2026")])
    )
    write("valid.xlsx", xlsx(good))
    # -- files refused as a whole --------------------------------------------------------
    write("empty.csv", b"")
    write("blank-lines-only.csv", "\r\n \r\n\r\n")
    write("header-only.csv", csv_text([]))
    write("utf-16.csv", "\ufeff".encode("utf-16-le") + csv_text(good).encode("utf-16-le"))
    write("windows-1251-russian.csv", csv_text([row(name="Уход на дому")], header=HEADER_RU).encode("cp1251"))
    write("koi8-r-russian.csv", csv_text([row(name="Уход на дому")], header=HEADER_RU).encode("koi8-r"))
    write("wrong-delimiter-pipe.csv", csv_text(good, sep="|"))
    write("truncated.xlsx", xlsx(good)[:2000])
    write("not-a-workbook.xlsx", "kind;code\nservice;home-care\n")
    write("price-list.ods", b"PK-not-really-ods")
    write("legacy-or-encrypted.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    # -- header errors -------------------------------------------------------------------
    write(
        "missing-column.csv",
        csv_text([r[:-2] + r[-1:] for r in good], header=HEADER_ET[:-2] + HEADER_ET[-1:]),
    )
    write("extra-column.csv", csv_text([[*r, "x"] for r in good], header=[*HEADER_ET, "Kommentaar"]))
    write("duplicate-column.csv", csv_text([[*r, r[1]] for r in good], header=[*HEADER_ET, HEADER_ET[1]]))
    write("unquoted-decimal-commas.csv", csv_text(good, header=KEYS, sep=","))
    # -- row errors ----------------------------------------------------------------------
    write(
        "unknown-component-code.csv", csv_text([HOME_CARE, row(kind="component", code="no-such-component")])
    )
    write("unknown-service-code.csv", csv_text([row(code="home-kare")]))
    write("unknown-unit-code.csv", csv_text([row(unit_code="hours")]))
    write("unknown-kind.csv", csv_text([row(kind="toode")]))
    write("unknown-provider.csv", csv_text([row(provider_registry_code="99999999")]))
    write("text-in-number.csv", csv_text([row(price_individual="tasuta")]))
    write("negative-price.csv", csv_text([row(price_individual="-6,00")]))
    write("absurd-price.csv", csv_text([row(price_individual="1250000")]))
    write("too-many-decimals.csv", csv_text([row(price_individual="6,005")]))
    write("mixed-decimal-separators.csv", csv_text([row(price_individual="1.234,50")]))
    write("percent-over-100.csv", csv_text([row(client_share_percent="150")]))
    write(
        "share-amount-and-percent.csv", csv_text([row(client_share_amount="1,00", client_share_percent="10")])
    )
    write("no-price.csv", csv_text([row(price_individual="")]))
    write("invalid-date.csv", csv_text([row(valid_from="31.02.2026")]))
    write("implausible-date.csv", csv_text([row(valid_from="1899-01-01")]))
    write("missing-date.csv", csv_text([row(valid_from="")]))
    write("ends-before-it-starts.csv", csv_text([row(valid_to="2025-12-31")]))
    write(
        "overlapping-periods.csv",
        csv_text([row(valid_to="2026-12-31"), row(price_individual="6,50", valid_from="2026-06-01")]),
    )
    write("duplicate-rows.csv", csv_text([HOME_CARE, NEW_SUPPORT, HOME_CARE]))
    write("before-published-price.csv", csv_text([row(valid_from="2023-06-01")]))
    write(
        "formula-injection-equals.csv",
        csv_text([row(provider_registry_code="", provider_name='=HYPERLINK("http://evil.example","x")')]),
    )
    write("formula-injection-plus.csv", csv_text([row(code="+cmd|' /C calc'!A0")]))
    write("formula-injection-at.csv", csv_text([row(unit_code="@SUM(1+1)")]))
    write("formula-injection-minus-in-text.csv", csv_text([row(kind="-2+3")]))
    write("formula-in-price.csv", csv_text([row(price_individual="=5+5")]))
    write("formula-cell.xlsx", xlsx(good, formula_cell="H2"))
    write(
        "one-bad-row-among-good.csv",
        csv_text(
            [HOME_CARE, NEW_SUPPORT, row(code="personal-support", kind="component", unit_code="parsec")]
        ),
    )
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool missing: password-protected.xlsx not regenerated")
    else:
        encrypted = io.BytesIO()
        OOXMLFile(io.BytesIO(xlsx(good))).encrypt("salasõna", encrypted)
        write("password-protected.xlsx", encrypted.getvalue())
        assert msoffcrypto


if __name__ == "__main__":
    main()
