"""Records deleted while an export runs: they leave their list, and their detail is "not found"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from app.sandbox import Sandbox
from tests.sandbox.conftest import Get, call

DETAILS = (
    ("sale", "saleList", "SaleList", "SaleID", "sale", "ID", "Sale not found"),
    ("purchase", "purchaseList", "PurchaseList", "ID", "advanced-purchase", "ID", "Purchase not found"),
    ("stocktransfer", "stockTransferList", "StockTransferList", "TaskID", "stockTransfer", "TaskID",
     "Stock transfer not found"),
    ("finishedgoods", "finishedGoodsList", "FinishedGoods", "TaskID", "finishedGoods", "TaskID",
     "Finished goods not found"),
)  # fmt: skip


@pytest.mark.parametrize(("kind", "list_path", "key", "field", "detail", "param", "message"), DETAILS)
def test_a_record_deleted_between_list_and_detail_is_a_400_not_found(
    sandbox: Sandbox, kind: str, list_path: str, key: str, field: str, detail: str, param: str, message: str
) -> None:
    rows = call(sandbox, list_path, {"Limit": 5}).json()[key]
    ids = [row[field] for row in rows]
    assert sandbox.delete(kind, ids[2]) == ids[2]
    for record_id in ids:
        answer = call(sandbox, detail, {param: record_id})
        if record_id == ids[2]:
            assert answer.status_code == 400
            assert answer.json() == [{"ErrorCode": 400, "Exception": message}]
        else:
            assert answer.status_code == 200, answer.text[:200]


def test_an_id_that_never_existed_gets_the_same_answer(sandbox: Sandbox) -> None:
    answer = call(sandbox, "sale", {"ID": "00000000-0000-0000-0000-000000000000"})
    assert answer.status_code == 400
    assert answer.json() == [{"ErrorCode": 400, "Exception": "Sale not found"}]
    simple = call(sandbox, "purchase", {"ID": "00000000-0000-0000-0000-000000000000"})
    assert simple.json() == [{"ErrorCode": 400, "Exception": "Purchase not found"}]
    assert call(sandbox, "sale", {}).json() == [{"ErrorCode": 400, "Exception": "ID is required."}]


def test_a_deleted_record_leaves_its_list_and_the_total(api: Get, sandbox: Sandbox) -> None:
    before = api("saleList", Limit=1000)
    gone = before["SaleList"][40]
    completed = api("saleList", Status=gone["Status"], Limit=1000)["Total"]
    sandbox.delete("sale", gone["SaleID"])
    after = api("saleList", Limit=1000)
    assert after["Total"] == before["Total"] - 1 == len(after["SaleList"])
    assert [r for r in before["SaleList"] if r["SaleID"] != gone["SaleID"]] == after["SaleList"]
    assert api("saleList", Status=gone["Status"], Limit=1000)["Total"] == completed - 1
    assert gone["SaleID"] not in {r["SaleID"] for r in sandbox.dataset.sales}
    assert len(sandbox.dataset.sales) == 299
    # pages still walk every remaining record exactly once
    seen = [r["SaleID"] for n in range(1, 8) for r in api("saleList", Page=n, Limit=50)["SaleList"]]
    assert len(seen) == len(set(seen)) == 299


def test_deleted_products_leave_the_product_and_availability_lists(api: Get, sandbox: Sandbox) -> None:
    product = api("product", Limit=1)["Products"][0]
    rows = api("ref/productavailability", Limit=1000)["ProductAvailabilityList"]
    assert any(r["ID"] == product["ID"] for r in rows)
    sandbox.delete("product", product["ID"])
    assert product["ID"] not in {
        p["ID"] for p in api("product", Limit=1000, IncludeDeprecated="true")["Products"]
    }
    rows = api("ref/productavailability", Limit=1000)["ProductAvailabilityList"]
    assert not any(r["ID"] == product["ID"] for r in rows)
    assert api("product", ID=product["ID"])["Total"] == 0


def test_deleting_refuses_unknown_records_and_kinds(sandbox: Sandbox) -> None:
    sale_id = sandbox.dataset.sales[0]["SaleID"]
    sandbox.delete("sale", sale_id)
    with pytest.raises(KeyError):
        sandbox.delete("sale", sale_id)  # already gone
    with pytest.raises(KeyError):
        sandbox.touch("sale", [sale_id])
    with pytest.raises(ValueError, match="cannot be deleted"):
        sandbox.delete("location", "x")


def test_delete_over_http(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    root = sb.base_url.split("/ExternalApi")[0]
    purchase_id = sb.dataset.purchases[3]["ID"]
    answer = requests.post(
        root + "/_sandbox/delete", json={"kind": "purchase", "id": purchase_id}, timeout=10
    )
    assert answer.status_code == 200 and answer.json() == {"id": purchase_id}
    gone = call(sb, "advanced-purchase", {"ID": purchase_id})
    assert gone.status_code == 400 and gone.json()[0]["Exception"] == "Purchase not found"
    again = requests.post(root + "/_sandbox/delete", json={"kind": "purchase", "id": purchase_id}, timeout=10)
    assert again.status_code == 400 and again.json()[0]["Exception"].startswith("Sandbox control failed")
