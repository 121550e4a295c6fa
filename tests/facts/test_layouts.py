"""Facts by layout: labels and values in columns and tables, receipts, payslips, and facts that are absent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ingest.facts import ClientRegistry, extract_facts
from ingest.layout import Word, layout_text

EMPTY = ClientRegistry([])


def facts(text: str, settings):
    return extract_facts([text], EMPTY, settings)


@pytest.mark.parametrize("label", ["Totaal", "Te betalen", "TOTAL", "Nog te betalen", "Totaal incl. btw", "Amount due"])
def test_the_total_at_the_bottom_of_an_amount_column(label: str, settings) -> None:
    text = (
        "FACTUUR\nFactuurnummer:   F-2024-118\nFactuurdatum:   12-03-2024\n\n"
        "Omschrijving   Aantal   Prijs   Bedrag\nOnderhoud   2   € 45,00   € 90,00\n"
        "Materiaal   1   € 30,00   € 30,00\n"
        f"Subtotaal   € 120,00\nBtw 21%   € 25,20\n{label}   € 145,20\n"
    )
    assert facts(text, settings).amount == Decimal("145.20")


def test_a_table_read_as_a_block_of_labels_then_a_block_of_values(settings) -> None:
    # What Tesseract gives for a two-column table; the words' boxes put each label back beside its value.
    def word(text: str, left: int, top: int, block: int, line: int) -> Word:
        return Word(text, left, top, 14 * len(text), 22, 91.0, block, 1, line)

    words = [
        word("FACTUUR", 100, 100, 1, 1),
        word("Subtotaal", 100, 400, 2, 1),
        word("Btw", 100, 440, 2, 2),
        word("Totaal", 100, 480, 2, 3),
        word("€", 900, 401, 3, 1),
        word("100,00", 925, 401, 3, 1),
        word("€", 900, 441, 3, 2),
        word("21,00", 925, 441, 3, 2),
        word("€", 900, 481, 3, 3),
        word("121,00", 925, 481, 3, 3),
    ]
    assert facts(layout_text(words), settings).amount == Decimal("121.00")


@pytest.mark.parametrize(
    "lines, total",
    [
        # cash handed over less the change given back is the total paid
        (["TOTAL   RM 50.80", "CASH   RM 51.00", "CHANGE   RM 0.20"], "50.80"),
        (["Totaal   12,48", "Contant   20,00", "Wisselgeld   7,52"], "12.48"),
        # the rounded total, not the one before rounding
        (
            [
                "Total Sales (Inclusive GST)   RM 177.22",
                "Rounding Adjustment   -0.02",
                "Total Rounded   RM 177.20",
                "CASH   RM 200.00",
                "CHANGE   RM 22.80",
            ],
            "177.20",
        ),
        # the tax included in the total is not the total
        (
            [
                "Total Incl. GST@6%   RM 29.30",
                "TOTAL INCLUDES 6% GST   1.66",
                "Cash Tendered   50.00",
                "Change   20.70",
            ],
            "29.30",
        ),
        # OCR put a space after the decimal mark of the rounded total and of the change
        (
            [
                "Total (Incl GST)   RM21.83",
                "Rounding   RM0.02",
                "Total Rounded   RM 21. 85",
                "Cash   RM50.00",
                "Change   RM28. 15",
            ],
            "21.85",
        ),
        # a tax summary's Total row is the net amount and its tax, not what was paid
        (
            [
                "Sub-total   88.97",
                "Total After Adj Incl GST   88.95",
                "CASH   100.00",
                "GST Summary   Amount   Tax",
                "SR @ 6%   83.93   5.04",
                "Total   83.93   5.04",
            ],
            "88.95",
        ),
        # paid by card: no change, the total stands
        (["TOTAAL   € 23,15", "Betaald met PIN   € 23,15", "waarvan btw 9%   € 1,91"], "23.15"),
        # the total after the till's adjustment, not the tax summary's Total row below it
        (
            [
                "Sub total   31.00",
                "Total After Adj Incl GST   31.00",
                "CASH   50.00",
                "GST Summary   Amount   Tax",
                "Total   29,24   1./6",
            ],
            "31.00",
        ),
        # OCR misread the change's label ("Charye") and the total's: cash less change picks the total
        (
            [
                "Sub-total   88.97",
                "Total Sales Incl GST   RB 97",
                "local After Adj [nc] GST   88.95",
                "CASH   100.00",
                "Charye Amt   11.05",
            ],
            "88.95",
        ),
        # OCR put a space after the point of an amount without a currency mark
        (["TOTAL (Including GST)   79. 35", "TENDER   100. 00", "CHANGE/BALANCE   20. 65"], "79.35"),
        # OCR dropped the total's decimal point; cash less change says where it stood
        (["Grand Total   07 9280", "Cash Received   100.00", "Change   7.20"], "92.80"),
        # "Total Paid" is what was handed over; the rounded total is that less the change
        (
            [
                "Total (Incl GST)   RM21.83",
                "Rounding   RM0.02",
                "Grand TotalRM2 | 85",
                "Total Paid   RM50.00",
                "Change   RM28. 15",
            ],
            "21.85",
        ),
        # OCR's readings of a faint "Total"
        (["SubTatal:   145.00", "Tatal Inclusive GST:   165.00", "MASTER   200.00"], "165.00"),
    ],
)
def test_receipts_total_paid_rounding_and_change(lines: list[str], total: str, settings) -> None:
    text = "\n".join(["ALBERT HEIJN", "Markt 12", "12-03-2024 14:31", "MELK   1,29", "BROOD   2,49", *lines])
    found = facts(text, settings)
    assert found.amount == Decimal(total)
    assert found.document_type == "receipt"


@pytest.mark.parametrize(
    "lines",
    [
        # the total's line lost to OCR: the cash handed over and the subtotal are no total
        ["Sub-total   88.97", "Total Sales Incl GST   RB 97", "CASH   100.00"],
        ["Subtotal   25.00", "Net Tata   25: 3", "C   50.00"],
    ],
)
def test_no_total_on_a_receipt_rather_than_the_cash_handed_over(lines: list[str], settings) -> None:
    text = "\n".join(["ALBERT HEIJN", "12-03-2024 14:31", "MELK   1,29", "BROOD   2,49", *lines])
    found = facts(text, settings)
    assert found.amount is None and "no_amount" in found.review_reasons


@pytest.mark.parametrize("price", ["KACANG 1KG @19.50", "KACANG 1KG   1 x 19.50", "1X RM19.50"])
def test_an_item_bought_once_is_no_repeated_total(price: str, settings) -> None:
    # The total's line lost to OCR; the one item's price and its line amount are the same number.
    text = "\n".join(["KEDAI RUNCIT", "12/02/2018 10:12", "BERAS 10KG   53.50", price, "19.50 ZR", "Kel Jota!   RH36"])
    assert facts(text, settings).amount is None


def test_a_total_printed_twice_without_labels_is_still_the_total(settings) -> None:
    text = "\n".join(
        ["KEDAI RUNCIT", "12/02/2018 10:12", "KACANG 1KG @19.50", "19.50", "BERAS 10KG 53.50", "73.00", "73.00"]
    )
    assert facts(text, settings).amount == Decimal("73.00")


def test_a_unit_price_still_leaves_a_lone_amount_unsure(settings) -> None:
    # "FRUITS @24.00" and "FRUITS 6146.00" (the @ misread as a 6): two different amounts, no total.
    text = "\n".join(["PASAR BUAH", "05-AUG-2017 10:12", "FRUITS @24.00", "FRUITS 6146.00", "Sub Total", "Change"])
    assert facts(text, settings).amount is None


def test_a_tax_summary_tables_total_row_is_not_the_bill(settings) -> None:
    # The total's own line lost to OCR: the summary's "TOTAL 52,00 3.12" is net and tax, not the bill.
    text = (
        "KEDAI BUKU\n15/01/2018 10:12\nSUB-TOTAL (EX)   52.00\nTOTAL TAX   3.12\nTOTAL )/>) or\n"
        "TAX CODE   %   AMOUNT   TAX\nSR   6.00   52.00   3.12\n\nTOTAL;   52,00   3.12"
    )
    assert facts(text, settings).amount is None


@pytest.mark.parametrize(
    "printed, found",
    [
        ("345.95", "343.95"),  # one digit misread: subtotal, service charge, tax and rounding say 343.95
        ("343.95", "343.95"),
        ("350.00", "350.00"),  # more than one digit apart: no repair, the printed total stands
    ],
)
def test_a_total_one_digit_off_its_subtotal_plus_charges_is_read_as_their_sum(printed, found, settings) -> None:
    text = (
        "THREE STOOGES BISTRO\nBILL DT: 12/03/2018 10:25:49 PM\nGUINNESS   150.00\nTIGER   145.00\n"
        f"SUB TOTAL   295.00\nSERVICE CHARGE 10%   29.50\nGST 6%   19.47\nROUNDING ADJ   -0.02\nTOTAL   {printed}"
    )
    assert facts(text, settings).amount == Decimal(found)


@pytest.mark.parametrize(
    "vat, found",
    [
        ("641,30", "3695.11"),  # 21 % of the subtotal to the cent: the sum stands for the digit added
        ("641,33", "83695.11"),  # no Dutch rate of the subtotal: no repair, the printed total stands
    ],
)
def test_a_total_with_a_digit_added_is_the_subtotal_plus_its_vat_at_a_dutch_rate(vat, found, settings) -> None:
    text = (
        "FACTUUR\nFactuurdatum: 12-03-2024\nOnderhoud   1   € 3.053,81\n"
        f"Totaal excl. btw : € 3.053,81\n21% btw: EUR {vat}\nTotaal te betalen: 83.695,11"
    )
    assert facts(text, settings).amount == Decimal(found)


def test_a_tax_summary_row_is_not_the_total(settings) -> None:
    text = (
        "FACTUUR\nFactuurdatum: 12-03-2024\nOnderhoud   € 100,00\nTotaal   € 121,00\n\n"
        "Btw-specificatie   Grondslag   Btw\n21%   100,00   21,00\nTotaal   100,00   21,00\n"
    )
    assert facts(text, settings).amount == Decimal("121.00")


def test_a_receipt_called_tax_invoice_is_a_receipt(settings) -> None:
    text = (
        "TAX INVOICE\nINVOICE NO: 17664/103\n11-05-16 10:12\nDOVE SOAP   RM 26.50\nTotal   RM 26.50\n"
        "CASH   RM 30.00\nCHANGE   RM 3.50\nThank you"
    )
    assert facts(text, settings).document_type == "receipt"


def test_a_tax_invoice_timed_at_the_till_is_a_receipt_and_one_with_terms_an_invoice(settings) -> None:
    sale = (
        "KEDAI MAJU SDN BHD\nINVOICE\nInvoice : 9820   Cashier: admin\nDate : 9/3/2018 20:54:50\n"
        "Fried Rice   1   35.00\nChinese Tea   2   1.20\nTotal Sales   RM 36.20\nRounding Adjustment :   RM 0.00"
    )
    assert facts(sale, settings).document_type == "receipt"
    billed = sale + "\nPayment terms: 30 days\nDue date: 09/04/2018"
    assert facts(billed, settings).document_type == "invoice"


def test_a_till_receipt_whose_change_is_faintly_nothing_is_a_receipt(settings) -> None:
    text = (
        "SPEED MART\nINVOICE NO : 17881/102/70298\nMI GORENG   RM5.29\nCOKE 1.5L   RM5.98\n"
        "Total Sales (Inclusive GST)   RM 11,27\nCREDIT   RM 11,27\nCHANGE   RM   „00\n"
        "Keep the invoice for applicable returns"
    )
    assert facts(text, settings).document_type == "receipt"


def test_a_payslip_gives_net_pay_and_the_last_day_of_a_month_printed_alone(settings) -> None:
    text = (
        "Loonstrook\nWerkgever: Bakkerij De Korst B.V.\nPeriode:   maart 2024\nGeboortedatum:   04-11-1985\n"
        "Datum in dienst:   01-06-2010\nBruto loon   € 3.250,00\nLoonheffing   € 612,40\nNetto loon   € 2.637,60\n"
        "Uitbetaald op 25-03-2024\nAfgedrukt op 02-04-2024"
    )
    found = facts(text, settings)
    assert found.amount == Decimal("2637.60")
    assert found.document_date == date(2024, 3, 31)


@pytest.mark.parametrize(
    "distractor",
    [
        "Vervaldatum:   11-04-2024",
        "Leverdatum:   08-03-2024",
        "Geboortedatum:   04-11-1985",
        "Afgedrukt op:   15-03-2024 10:12",
        "Ontvangen op:   14-03-2024",
        "Due date:   11/04/2024",
    ],
)
def test_the_document_date_and_not_a_due_delivery_birth_print_or_stamp_date(distractor: str, settings) -> None:
    text = f"FACTUUR\nFactuurnummer:   F-2024-118\n{distractor}\nFactuurdatum:   12-03-2024\nTotaal   € 145,20"
    assert facts(text, settings).document_date == date(2024, 3, 12)


def test_none_when_a_letter_has_no_amount_iban_or_reference(settings) -> None:
    text = (
        "Gemeente Utrecht\nPostbus 16200\n3500 CE Utrecht\nIBAN NL91 ABNA 0417 1643 00\n\n"
        "Utrecht, 3 maart 2025\nBetreft: uw aanvraag\nGeachte heer Jansen,\n"
        "Wij hebben uw aanvraag van 12 februari 2025 ontvangen. De kosten van € 45,00 worden later gefactureerd.\n"
        "Met vriendelijke groet,\nAfdeling Vergunningen"
    )
    found = facts(text, settings)
    assert found.document_type == "letter" and found.document_date == date(2025, 3, 3)
    assert (found.amount, found.iban, found.reference) == (None, None, None)


def test_a_speck_between_a_label_column_and_its_value_leaves_the_label(settings) -> None:
    # OCR reads dirt between the columns as a piece of its own: "Grand Total   fi   3.90".
    text = "KASSABON\nSub-Total   :   25.60\nCoupon Discount   :   21.70\nGrand Total   fi   3.90\n"
    assert facts(text, settings).amount == Decimal("3.90")


def test_a_tender_whose_value_piece_carries_specks_still_settles_the_bill(settings) -> None:
    # The total's point is lost ("5510"); cash less change says what it was, though the
    # cash row's value piece reads "2 py 55.10".
    text = (
        "RECEIPT\nSUB-TOTAL (EX)   52.00\nTOTAL TAX   :   3.12\n"
        "TOTAL   )/>) or   5510\nCASH   /,   2 py 55.10\nCHANGE ~   77: << 0.00\n"
    )
    assert facts(text, settings).amount == Decimal("55.10")


def test_a_speck_does_not_turn_a_discount_into_the_total(settings) -> None:
    text = "RECEIPT\nTotal   12.00\nDiscount   fi   2.00\n"
    assert facts(text, settings).amount == Decimal("12.00")


def test_a_due_date_above_the_invoice_date_in_label_and_value_columns(settings) -> None:
    # Every row a label column and a value column; the due date's value stands below its label.
    text = (
        "Factuur\nUiterste betaaldatum:\n8 juni 2020\nFactuurnr.:   2019/9064\n"
        "Datum factuur :   09/05/20\nTotaal incl. btw   € 1.772,55"
    )
    assert facts(text, settings).document_date == date(2020, 5, 9)


def test_the_invoice_date_is_named_by_the_label_column_of_its_own_row(settings) -> None:
    text = "FACTUUR\nFactuurnr.:   2019/9064\nDatum factuur :   09/05/20\nLeverdatum :   01/05/20\n"
    assert facts(text, settings).document_date == date(2020, 5, 9)


def test_a_pay_period_read_with_a_stray_colon_still_ends_on_its_last_day(settings) -> None:
    text = (
        "PAYSLIP\nPeriod :   01/10/2025: to 31-10-2025\nEmployee name:   Anna de Boer\n"
        "DOB:   28-11-1990\nNet salary:   € 3,187.05"
    )
    assert facts(text, settings).document_date == date(2025, 10, 31)


@pytest.mark.parametrize(
    "text, fact, value",
    [
        (
            "FACTUUR\nDatum:   01-03-2024\nFactuur datum:   12-03-2024\nTotaal   € 145,20",
            "document_date",
            date(2024, 3, 12),
        ),
        (
            "FACTUUR\nFactuurdatum: 12-03-2024\nOnderhoud   € 120,00\nBtw 21%   € 25,20\nTe beta len   € 145,20",
            "amount",
            Decimal("145.20"),
        ),
        (
            "PAYSLIP\nEmployee: J. Smith\nPay peri od:   01-03-2024 - 31-03-2024\nPay date:   25-03-2024\n"
            "Net pay   € 2.100,00",
            "document_date",
            date(2024, 3, 31),
        ),
    ],
)
def test_a_label_ocr_broke_into_pieces_is_still_the_label(text: str, fact: str, value, settings) -> None:
    # OCR breaks a word at a wide letter gap; the pieces that join into a label are that label.
    assert getattr(facts(text, settings), fact) == value


@pytest.mark.parametrize(
    "text",
    [
        "KASSABON\n12-03-2024 10:12\nBrood   € 2,45\nBon T0TAAL   € 2,45\nPIN   € 2,45",
        "FACTUUR\nFactuurnummer\nT0TAAL\nTotaal € 3,00",
    ],
)
def test_a_word_ocr_printed_with_zero_for_o_is_no_reference(text: str, settings) -> None:
    # "T0TAAL" has a digit only because OCR read its O as 0: a word, not a number.
    assert facts(text, settings).reference is None


@pytest.mark.parametrize(
    "text, reference",
    [
        ("OVEREENKOMST\nOvereenkomstnummer ....see C2016-6409\nIngangsdatum 01-02-2016", "C2016-6409"),
        ("OVEREENKOMST\nOvereenkomstnummer ... eee C2016-6409", "C2016-6409"),  # the leader's end as a word
        ("FACTUUR\nNota nn;   42012543\nTotaal € 3,00", "42012543"),  # nr read as nn, its colon as ;
        ("FACTUUR\nNota nm:   42012543\nTotaal € 3,00", "42012543"),
    ],
)
def test_a_label_ocr_misread_on_a_fax_still_names_its_value(text: str, reference: str, settings) -> None:
    assert facts(text, settings).reference == reference


def test_a_word_after_a_dot_leader_is_no_reference_and_nn_without_a_colon_is_no_label(settings) -> None:
    assert facts("OVEREENKOMST\nOvereenkomstnummer ....see bijlage", settings).reference is None
    assert facts("FACTUUR\nNota nn 42012543\nTotaal € 3,00", settings).reference is None


def test_a_reference_of_letters_and_zeros_after_its_prefix_still_stands(settings) -> None:
    assert facts("FACTUUR\nFactuurnummer:   AB000\nTotaal € 3,00", settings).reference == "AB000"


_GARBLED_INVOICE = (
    "FACTUUR\nFactuurdatum:   26-04-2020\nArtikel   Aantal   Totaal\nOnderhoud   8   € 2.948,56\n"
    "Arbeidsloon   6   € 1.684,18\nSubtotaal   € 4.632,74\nBtw 21%   972,88\nTotaal te betalen   {}\n"
)


@pytest.mark.parametrize(
    "printed, found",
    [
        ("5:5605,,62", Decimal("5605.62")),  # a digit doubled and the marks garbled: the digits agree in order
        ("5.6O5,62", Decimal("5605.62")),  # O for 0: the other digits agree
        ("5:6095,,12", None),  # the digits left say another amount: none rather than a guess
    ],
)
def test_a_garbled_total_is_its_subtotal_and_vat_when_its_digits_agree(printed: str, found, settings) -> None:
    assert facts(_GARBLED_INVOICE.format(printed), settings).amount == found


_GARBLED_PAYSLIP = (
    "LOONSTROOK\nLoonperiode:   01/07/2016 t/m 31/07/2016\nSalaris bruto   €5.016,91\n"
    "Inhouding loonheffing   € 1.254,23\n{between}Premie pensioen   EUR 250,85\nNetto uitbetaling   {net}\n"
)


@pytest.mark.parametrize(
    "between, net, found",
    [
        ("", "€ 35118;3", Decimal("3511.83")),  # gross less the deductions, as the digits left say
        ("", "€ 31103", None),  # read larger than the gross and not what the deductions leave: none
        ("Reiskosten   € 84,00\n", "€ 35118;3", None),  # a row that is no deduction: the sum is not exact
    ],
)
def test_a_garbled_net_pay_is_gross_less_deductions_only_when_exact(between: str, net: str, found, settings) -> None:
    assert facts(_GARBLED_PAYSLIP.format(between=between, net=net), settings).amount == found


def test_a_garbled_total_leaves_the_total_read_elsewhere_that_its_digits_fit(settings) -> None:
    # "25: 3" is what OCR left of 25.00; the receipt prints 25.00 for the item and as the card payment.
    text = (
        "GHEE HIANG\nTAX INVOICE\nDate : 13/04/2018 2:26 PM\n2 TAU SAR PNEAH @12.50   25.00\n"
        "2 SubTotal   25.00\nNet Total   25: 3\nGi   GE   25.00\nTHANK YOU, PLEASE COME AGAIN"
    )
    assert facts(text, settings).amount == Decimal("25.00")


def test_a_row_of_column_totals_gives_the_one_that_sums_the_others(settings) -> None:
    # Excl. VAT, VAT and incl. VAT totalled in one row: the sum of the others is the total.
    text = (
        "FACTUUR\nFactuurdatum: 12-03-2024\nReparatie 7 € 396,24 € 2.773,68\nMateriaal 7 € 323,78 € 2.266,46\n"
        "   Excl. btw   Btw 21%   Incl. btw\nTotaal   5.040,14   € 1.058,43   € 6.098,57\n"
    )
    assert facts(text, settings).amount == Decimal("6098.57")
    # OCR may join the label and the first column's total into one piece.
    joined = text.replace("Totaal   5.040,14", "Totalen €5.040,14")
    joined = joined.replace("   Excl. btw   Btw 21%", "Excl. btw Btw 21%")
    assert facts(joined, settings).amount == Decimal("6098.57")


@pytest.mark.parametrize("label", ["Amount still due", "Nog te betalen", "Balance due"])
def test_a_part_paid_invoice_gives_what_is_still_due(label: str, settings) -> None:
    text = (
        "INVOICE\nInvoice date: 12-03-2024\nSubtotal   € 3,734.26\nVAT 21%   € 784.19\nTotal incl. VAT   € 4,518.45\n"
        f"Deposit   € 2,259.22\n{label}:   € 2,259.23\n"
    )
    assert facts(text, settings).amount == Decimal("2259.23")


def test_a_contract_number_label_ocr_misread_is_still_its_label(settings) -> None:
    text = "HUUROVEREENKOMST\nOvereenkomsfnummer : HO2016-0800\nDe ondergetekenden:\nGetekend te Den Haag, 2024-07-08"
    assert facts(text, settings).reference == "HO2016-0800"


@pytest.mark.parametrize(
    "pay, reference",
    [
        ("over te maken op NL51 BUNQ 3968 8462 00 t.n.v. Office Supplies Ltd o.v.v. F2025-3829.", "F2025-3829"),
        ("over te maken op NL51 BUNQ 3968 8462 00 onder vermelding van het factuurnummer.", None),
    ],
)
def test_the_number_a_payment_line_asks_to_quote_when_no_label_names_one(pay: str, reference, settings) -> None:
    # OCR garbled the label ("Factuur ur:"); the payment instruction names the number to quote.
    text = (
        "FACTUUR\nFactuur ur: F2025-3829\nDatum: 4 mei 2015\nTotaal te betalen € 1.767,01\n"
        f"Wij verzoeken u het bedrag {pay}"
    )
    assert facts(text, settings).reference == reference


@pytest.mark.parametrize("leader", [" ........ ", " … … ", "……", " · · · ", " _____ "])
def test_a_value_behind_dotted_leaders_belongs_to_its_label(leader: str, settings) -> None:
    from ingest.facts import ClientRecord

    # Two clients of the same name: only the number behind the leaders tells them apart.
    namesakes = ClientRegistry(
        [
            ClientRecord(client_id="00003", name="Jan de Vries", kind="person", city="Leiden"),
            ClientRecord(client_id="00004", name="Jan de Vries", kind="person", city="Sittard"),
        ]
    )
    text = (
        f"GEMEENTE BELASTINGEN\nKwitantie\nKwitantienummer{leader}54549\nBetaald door:   Jan de Vries\n"
        f"Debiteurnummer{leader}00003\nBedrag{leader}EUR 93,98\nDatum{leader}22 dec. 2019\n"
    )
    found = extract_facts([text], namesakes, settings)
    assert (found.client_id, found.reference, found.amount) == ("00003", "54549", Decimal("93.98"))
    assert found.document_date == date(2019, 12, 22)


def test_dots_within_a_value_are_no_leader(settings) -> None:
    found = facts("FACTUUR\nFactuurnummer: 2024.118\nDatum: 12.03.2024\nTe betalen: € 1.234,56 ...\n", settings)
    assert (found.reference, found.document_date, found.amount) == ("2024.118", date(2024, 3, 12), Decimal("1234.56"))


@pytest.mark.parametrize("misread", ["bedreg", "bcdrag", "hedrag"])
def test_a_six_letter_label_with_one_misread_letter_is_still_the_label(misread: str, settings) -> None:
    # OCR reads one letter of "bedrag" wrong: the part still to pay is the amount, not the whole bill.
    text = (
        "FACTUUR\nFactuurnummer: 2026/7702\nFactuurdatum: 27 mei 2021\nTotaal excl. btw: € 1.719,23\n"
        f"21% btw € 361,04\nTotaal: 2.080,27\nVooruitbetaald EUR 1.040,14\nOpenstaand {misread}: €1.040,13\n"
    )
    assert facts(text, settings).amount == Decimal("1040.13")


def test_the_dutch_word_nummer_is_not_taken_for_number(settings) -> None:
    assert facts("FACTUUR\nFactuur nummer:   F-2024-77\nDatum: 12-03-2024\n", settings).reference == "F-2024-77"


@pytest.mark.parametrize(
    "period, last_day",
    [("Periode ............ juni 2019", date(2019, 6, 30)), ("Periode ....mei 2019", date(2019, 5, 31))],
)
def test_a_month_behind_dotted_leaders_is_no_part_of_the_leader(period: str, last_day: date, settings) -> None:
    text = f"LOONSTROOK\n{period}\nWerknemer Willem Visser\nNetto te betalen €1.460,28\n"
    assert facts(text, settings).document_date == last_day


def test_a_day_read_from_look_alike_letters_dates_an_invoice_but_yields_to_a_whole_date(settings) -> None:
    invoice = "Tax invoice\nPay before:   $ May 2021\nInvoice date:   S APR 2021\nInvoice number 36450925\n"
    assert facts(invoice, settings).document_date == date(2021, 4, 5)  # not the 30th, as April alone
    form = "Aanmeldformulier\nDatum: S maart 2024\nDatum: 14 maart 2024\nHandtekening aanvrager:\n"
    assert facts(form, settings).document_date == date(2024, 3, 14)


@pytest.mark.parametrize(
    "signed, found",
    [
        ("have signed this agreement on 25\nDecember 2018.", date(2018, 12, 25)),  # day / month and year
        ("getekend te Utrecht op 3 maart\n2025 door beide partijen.", date(2025, 3, 3)),  # day and month / year
        ("getekend te Utrecht, december\n2024 door beide partijen.", date(2024, 12, 31)),  # a month alone stays one
    ],
)
def test_a_date_a_line_break_split_is_read_whole(signed: str, found: date, settings) -> None:
    text = f"Service agreement\nThis agreement commences on 2 January 2019.\nIn witness whereof the parties {signed}\n"
    assert facts(text, settings).document_date == found


def test_a_payslips_account_read_one_digit_short_is_repaired_unless_readings_disagree(settings) -> None:
    text = (
        "LOONSTROOK\nPeriode: maart 2024\nWerknemer: A. de Boer\nNetto loon   € 2.104,10\n"
        "IBAN werknemer: NL91 ABNA 0417 1643 0\n"
    )
    assert facts(text, settings).iban == "NL91ABNA0417164300"
    # A second reading that repairs the same account to another IBAN leaves the account unknown.
    other = text.replace("NL91 ABNA 0417 1643 0", "NL90 RABO 9441 0059 1")
    assert extract_facts([text], EMPTY, settings, second_pages=[other]).iban is None


@pytest.mark.parametrize("misread", ["Net sulary", "Net selary", "Net salury"])
def test_net_salary_with_one_misread_letter_is_still_net_pay(misread: str, settings) -> None:
    text = (
        "PAYSLIP\nPeriod May 2018\nEmployee   Lotte van der Linden\nGross salary:   € 5,420.36\n"
        f"Income tax:   EUR 1,355.09\nPension contribution:   271.02\n{misread} :   EUR 3,794.25\n"
    )
    assert facts(text, settings).amount == Decimal("3794.25")


@pytest.mark.parametrize(
    "vat, between, found",
    [
        ("75,27", "", "433.69"),  # 21 % of the subtotal to the cent: the total is their sum
        ("75,30", "", None),  # no Dutch rate of the subtotal: nothing checks the sum
        ("75,27", "Verzendkosten:   KLM\n", None),  # a row OCR could not read may be part of the total
    ],
)
def test_a_total_that_lost_every_digit_is_the_subtotal_plus_its_vat_at_a_dutch_rate(
    vat: str, between: str, found, settings
) -> None:
    text = (
        "FACTUUR\nFactuurnummer 2024/8097\nDatum:   2021-06-07\n\nOmschrijving   Aantal   Bedrag\n"
        "Adviesgesprek   6   € 54,54\nArbeidsloon monteur   4   303,88\nSubtotaal:   EUR 358,42\n"
        f"{between}Btw hoog 21%:   €{vat}\nTe betalen:   KEER]\n"
    )
    assert facts(text, settings).amount == (Decimal(found) if found else None)


@pytest.mark.parametrize(
    "vat, printed, found",
    [
        ("562,09", "3.234,69", "3238.69"),  # 21 % of the net to the cent: the misread total is their sum
        ("562,19", "3.234,69", "2676.60"),  # no Dutch rate: the row is left as before, no sum made up
    ],
)
def test_a_row_of_column_totals_one_digit_off_is_their_sum_when_the_vat_checks(
    vat: str, printed: str, found: str, settings
) -> None:
    text = (
        "FACTUUR\nFactuurdatum 12-03-2024\nArtikel   Aantal   Totaal\nMateriaal   7   € 2.419,06\n"
        "Arbeidsloon monteur   1   257,54\nExcl. btw   Btw 21%   Incl. btw\n"
        f"Te betalen   2.676,60   {vat}   EUR {printed}\n"
    )
    assert facts(text, settings).amount == Decimal(found)
