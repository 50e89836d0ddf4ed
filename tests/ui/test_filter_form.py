"""Filters never ask for IDs: names read from DEAR's lists (real HTTP, sandbox); statuses in words."""

from __future__ import annotations

import pytest
import requests
from PySide6.QtWidgets import QLineEdit

from app import catalogue
from app.models import Connection
from app.sandbox import Sandbox
from app.services.reference_lists import ReferenceLists
from app.ui.filter_form import FilterForm
from app.ui.name_picker import NameCombo, NameSource
from app.ui.worker import JobRunner

pytestmark = [pytest.mark.gui]


def _form(qtbot, key: str, connection: Connection | None, lists: ReferenceLists | None = None) -> FilterForm:
    runner = JobRunner()
    source = NameSource(lists or ReferenceLists(), runner, lambda: connection)
    form = FilterForm(catalogue.get(key), names=source)
    form._test_keep = (runner, source)
    qtbot.addWidget(form)
    form.show()
    return form


def test_order_location_is_picked_by_name_and_sends_its_id(qtbot, sandbox: Sandbox, connection_for) -> None:
    form = _form(qtbot, "sale-order-lines", connection_for(sandbox))
    combo = form.input_for("OrderLocationID")
    assert isinstance(combo, NameCombo)
    assert combo.accessibleName() == "Order location"  # no "ID" in the label
    qtbot.waitUntil(lambda: combo.loaded, timeout=10000)
    raw = requests.get(
        sandbox.base_url + "ref/location", params={"Limit": 1000}, headers=sandbox.headers, timeout=30
    ).json()["LocationList"]
    names = [combo.itemText(i) for i in range(1, combo.count())]
    assert sorted(names) == sorted(r["Name"] for r in raw)
    place = raw[-1]
    combo.setCurrentIndex(combo.findText(place["Name"]))
    assert form.values() == {"OrderLocationID": place["ID"]}
    status = form.input_for("OrderStatus")
    status.setCurrentIndex(status.findData("AUTH_NO_ALLOC"))
    # In words for a summary line: the location's name, never its ID.
    assert form.described() == ["Order status: Authorised, not allocated", f"Order location: {place['Name']}"]
    # A preset's stored ID shows as the name (GUIDs compared in any case).
    again = _form(qtbot, "sale-order-lines", connection_for(sandbox))
    again.set_values({"OrderLocationID": place["ID"].upper()})
    qtbot.waitUntil(lambda: again.input_for("OrderLocationID").loaded, timeout=10000)
    assert again.input_for("OrderLocationID").currentText() == place["Name"]
    assert again.values() == {"OrderLocationID": place["ID"]}


def test_a_typed_name_picks_its_record_in_any_case(qtbot, sandbox: Sandbox, connection_for) -> None:
    form = _form(qtbot, "product-availability", connection_for(sandbox))
    combo = form.input_for("Category")
    qtbot.waitUntil(lambda: combo.loaded, timeout=10000)
    name = combo.itemText(1)
    combo.setEditText(name.upper())
    assert form.values() == {"Category": name}  # DEAR takes the category's name


def test_without_a_list_typed_text_still_works_and_the_reason_is_shown(qtbot, sandbox: Sandbox) -> None:
    wrong = Connection("Wrong", sandbox.account_id, "not-the-key", sandbox.base_url)
    form = _form(qtbot, "sale-order-lines", wrong)
    combo = form.input_for("OrderLocationID")
    qtbot.waitUntil(lambda: "refused" in combo.toolTip(), timeout=10000)
    assert combo.toolTip().startswith("DEAR refused access to the list of locations:")
    assert "Type the ID from DEAR instead." in combo.toolTip()
    assert not combo.loaded and combo.count() == 1
    combo.setEditText("0f8e1c2a-1111-2222-3333-444455556666")
    assert form.values() == {"OrderLocationID": "0f8e1c2a-1111-2222-3333-444455556666"}


def test_a_list_is_read_once_per_connection(qtbot, sandbox: Sandbox, connection_for) -> None:
    lists = ReferenceLists()
    connection = connection_for(sandbox)
    first = _form(qtbot, "sale-order-lines", connection, lists)
    qtbot.waitUntil(lambda: first.input_for("OrderLocationID").loaded, timeout=10000)
    calls = sandbox.stats()["counts"]["ref/location"]
    second = _form(qtbot, "sales", connection, lists)
    assert second.input_for("OrderLocationID").loaded  # at once, from memory
    assert sandbox.stats()["counts"]["ref/location"] == calls


def test_statuses_are_words_and_dear_gets_its_own_value(qtbot) -> None:
    form = FilterForm(catalogue.get("sale-order-lines"))
    qtbot.addWidget(form)
    status = form.input_for("OrderStatus")
    texts = [status.itemText(i) for i in range(status.count())]
    assert "Authorised, not allocated" in texts
    assert not any("_" in text or text.isupper() for text in texts)
    status.setCurrentIndex(texts.index("Authorised, not allocated"))
    assert form.values() == {"OrderStatus": "AUTH_NO_ALLOC"}
    lines = form.findChildren(QLineEdit)
    assert lines and not any("ID" in line.placeholderText() for line in lines)  # never "paste an ID"


def test_in_the_window_the_names_come_from_the_chosen_company(
    qtbot, make_window, sandbox: Sandbox, connect
) -> None:
    from tests.ui.conftest import tick

    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines")
    [form] = [f for f in window.findChildren(FilterForm) if f.spec.key == "sale-order-lines"]
    combo = form.input_for("OrderLocationID")
    # The report's filters may sit behind "More options": the list is read once they are shown.
    form.request_names()
    qtbot.waitUntil(lambda: combo.loaded, timeout=10000)
    assert combo.count() > 2


def test_choosing_another_company_reads_its_own_names(
    qtbot, make_window, make_sandbox, sandbox: Sandbox, connect
) -> None:
    from tests.ui.conftest import all_records, tick

    other = make_sandbox(rate_limit=None, seed=2)
    window = make_window()
    connect(window, sandbox, name="First")
    tick(window, "sale-order-lines")
    [form] = [f for f in window.findChildren(FilterForm) if f.spec.key == "sale-order-lines"]
    combo = form.input_for("OrderLocationID")
    form.request_names()
    qtbot.waitUntil(lambda: combo.loaded, timeout=10000)
    first_ids = {combo.itemData(i) for i in range(1, combo.count())}
    assert first_ids == {r["ID"] for r in all_records(sandbox, "ref/location", "LocationList")}

    connect(window, other, name="Second")
    window.company_bar.connection_chosen.emit("Second")  # as choosing it in the company box does
    form.request_names()
    qtbot.waitUntil(lambda: combo.loaded, timeout=10000)
    second_ids = {combo.itemData(i) for i in range(1, combo.count())}
    assert second_ids == {r["ID"] for r in all_records(other, "ref/location", "LocationList")}
    assert second_ids != first_ids


def test_record_id_filters_stay_hidden_unless_a_preset_set_one(qtbot) -> None:
    """Nobody types a GUID: the product ID filter is shown only when a stored value uses it."""
    form = _form(qtbot, "products", None)
    form.show()
    qtbot.waitExposed(form)
    product_id = form.input_for("ID")
    assert not product_id.isVisible()
    visible = [w for w in form.findChildren(QLineEdit) if w.isVisible()]
    assert visible, "the products report still has filters to type in (name, SKU)"
    guid = "0b1c2d3e-1111-2222-3333-444455556666"
    form.set_values({"ID": guid})
    assert product_id.isVisible()
    assert form.values()["ID"] == guid  # shown, so nothing is set unseen
    form.set_values({})
    assert not product_id.isVisible() and "ID" not in form.values()
