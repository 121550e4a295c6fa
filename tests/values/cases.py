"""The one table of cases per value rule, shared by the tests of every caller.

The rule's own tests (tests/values) and the tests of each place a person types or a
document prints a value (facts form, upload form, CLI options, queries, audit and
analysis filters, extraction, log lines, the audit trail, snippets, file names) read
these same rows, so no caller can drift from the rule without a test failing.
"""

from __future__ import annotations

from datetime import date

# Amounts as people type them -> the stored canonical text.
AMOUNTS = [
    ("1234.56", "1234.56"),
    ("1.234,56", "1234.56"),
    ("€ 1.234,56", "1234.56"),
    ("€1.234,56", "1234.56"),
    ("EUR 1.234,56", "1234.56"),
    ("1.234,56 EUR", "1234.56"),
    ("1.234,56 €", "1234.56"),
    ("euro 15", "15.00"),
    ("1,234.56", "1234.56"),
    ("1,234,567.89", "1234567.89"),
    ("1.234.567,89", "1234567.89"),
    ("1 234,56", "1234.56"),
    ("99,-", "99.00"),
    ("€ 99,-", "99.00"),
    ("€ 99,–", "99.00"),
    ("99,95", "99.95"),
    ("12", "12.00"),
    ("0,50", "0.50"),
    (",50", "0.50"),
    ("1,5", "1.50"),
    # A dot or comma before exactly three digits groups thousands: the Dutch 1.200.
    ("1.200", "1200.00"),
    ("1,200", "1200.00"),
    ("1.234.567", "1234567.00"),
    ("-5,5", "-5.50"),
    ("€ -12,50", "-12.50"),
    ("-€ 12,50", "-12.50"),
    ("− 12,50", "-12.50"),
]
NOT_AMOUNTS = [
    "",
    "abc",
    "veel",
    "€",
    "NaN",
    "Infinity",
    "1e5",
    "1.2.3,4,5",
    "1,23,45",
    "1234,567",
    "1.234,567",
    "12-",
    "--5",
    "- € -5",
    "$ 12",
    "1000000000000",
]
# Amounts as documents print them: found in a line by extraction, read by the same rule.
PRINTED_AMOUNTS = [
    ("Totaal € 1.234,56", "1234.56", "EUR"),
    ("Te betalen: EUR 99,-", "99.00", "EUR"),
    ("Total 1,234.56 USD", "1234.56", "USD"),
    ("€ 1 234,56", "1234.56", "EUR"),
    ("Totaal € 1.200", "1200.00", "EUR"),
    ("€ 450", "450.00", "EUR"),
    ("29.99 € TTC", "29.99", "EUR"),
    ("Creditnota € -9,32", "-9.32", "EUR"),
    ("RM4.00", "4.00", "MYR"),
    ("$8.20", "8.20", "USD"),
]

# Days as people type them.
DATES = [
    ("2024-03-12", date(2024, 3, 12)),
    ("2024-3-12", date(2024, 3, 12)),
    ("2024/03/12", date(2024, 3, 12)),
    ("12-03-2024", date(2024, 3, 12)),
    ("12/03/2024", date(2024, 3, 12)),
    ("12.03.2024", date(2024, 3, 12)),
    ("12-3-2024", date(2024, 3, 12)),
    ("12-03-24", date(2024, 3, 12)),
    (" 12-03-2024 ", date(2024, 3, 12)),
    ("12 maart 2024", date(2024, 3, 12)),
    ("12 Maart 2024", date(2024, 3, 12)),
    ("12 mrt 2024", date(2024, 3, 12)),
    ("12 mrt. 2024", date(2024, 3, 12)),
    ("12-mrt-2024", date(2024, 3, 12)),
    ("12 March 2024", date(2024, 3, 12)),
    ("12th March 2024", date(2024, 3, 12)),
    ("March 12, 2024", date(2024, 3, 12)),
    ("Mar 12, 2024", date(2024, 3, 12)),
    ("dinsdag 12 maart 2024", date(2024, 3, 12)),
    ("di 12 maart 2024", date(2024, 3, 12)),
    ("Tuesday, 12 March 2024", date(2024, 3, 12)),
    ("1 oktober 2024", date(2024, 10, 1)),
    ("1 okt 2024", date(2024, 10, 1)),
    ("31 december 2023", date(2023, 12, 31)),
    # Day first, unless the second number cannot be a month.
    ("05/04/2026", date(2026, 4, 5)),
    ("11/27/2026", date(2026, 11, 27)),
]
NOT_DATES = [
    "",
    "gisteren",
    "31-02-2024",
    "2024-13-01",
    "32-01-2024",
    "12 maart",
    "12-03",
    "1850-01-01",
    "12 oktobcr 2024",
    "2024",
    "maart 2024",
]

# Periods (audit and analysis filters, date: searches): a year, a month or a day -> first and last day.
PERIODS = [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-03", date(2024, 3, 1), date(2024, 3, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2024/3", date(2024, 3, 1), date(2024, 3, 31)),
    ("03-2024", date(2024, 3, 1), date(2024, 3, 31)),
    ("3/2024", date(2024, 3, 1), date(2024, 3, 31)),
    ("maart 2024", date(2024, 3, 1), date(2024, 3, 31)),
    ("mrt 2024", date(2024, 3, 1), date(2024, 3, 31)),
    ("March 2024", date(2024, 3, 1), date(2024, 3, 31)),
    ("12-03-2024", date(2024, 3, 12), date(2024, 3, 12)),
    ("2024-03-12", date(2024, 3, 12), date(2024, 3, 12)),
    ("12 maart 2024", date(2024, 3, 12), date(2024, 3, 12)),
]
NOT_PERIODS = ["", "abc", "2024-13", "13-2024", "1850", "24", "31-02-2024"]

# BSNs as people write them -> the nine digits. 111222333 and 123456782 pass the 11-check.
BSNS = [
    ("123456782", "123456782"),
    ("123 456 782", "123456782"),
    ("123.456.782", "123456782"),
    ("123-456-782", "123456782"),
    ("1234.56.782", "123456782"),
    ("1234 56 782", "123456782"),
    ("12-34-56-782", "123456782"),
    ("12 34 56 782", "123456782"),
    ("12345 6782", "123456782"),
    ("12345-6782", "123456782"),
    ("1112.22.333", "111222333"),
    ("111 222 333", "111222333"),
]
NOT_BSNS = ["", "123456789", "1234567820", "12345678", "12-03-2024", "abc", "123 456 78"]
# Texts with BSNs in them (file names, queries, log lines, page texts) -> as anyone may see them.
BSNS_IN_TEXT = [
    ("paspoort 123 456 782.pdf", "paspoort *****6782.pdf"),
    ("paspoort 111222333.pdf", "paspoort *****2333.pdf"),
    ("scan-1112.22.333.pdf", "scan-*****2333.pdf"),
    ("BSN: 12-34-56-782, geboren 1980", "BSN: *****6782, geboren 1980"),
    ("jansen 123 456 782", "jansen *****6782"),
    ("kopie id 12345 6782.pdf", "kopie id *****6782.pdf"),
    ("bsn 1234.56.782 en 111222333", "bsn *****6782 en *****2333"),
    # Numbers that are not a BSN, or only part of a longer one, stay as they are.
    ("factuur 123456789", "factuur 123456789"),
    ("tel 020 123 456 782", "tel 020 123 456 782"),
    ("tel 06 12345 6782", "tel 06 12345 6782"),
    ("totaal € 123.456.782,50", "totaal € 123.456.782,50"),
    ("20240312-123456782.pdf", "20240312-*****6782.pdf"),
    ("rekening 1234567820", "rekening 1234567820"),
]
