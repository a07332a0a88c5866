#!/usr/bin/env python3
"""Open311 GeoReport v2 protocol check against a live demo server:

    python3 Tests/open311/check_open311.py http://127.0.0.1:PORT

Issues an `open311` API key through the admin API, validates every endpoint's JSON and every error against the JSON
Schemas in Tests/open311/schemas, parses every XML answer (declaration, text/xml, well-formed) and checks that it says
what the JSON says, then walks the round trip a third-party client makes with the `georeport` package from PyPI in
both output formats. Prints `ok open311 …` per check and exits non-zero at the first failure.
Needs: jsonschema, georeport, xmltodict, requests.
"""
import json
import os
import sys
import time
import xml.dom.minidom

import georeport
import jsonschema
import requests
import xmltodict
from referencing import Registry, Resource

BASE = sys.argv[1].rstrip("/")
API = BASE + "/open311/v2"
PASSWORD = "hotline12345"
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
# The element each XML list holds, as the answers name them.
LIST_ITEMS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
              "values": "value", "endpoints": "endpoint", "formats": "format"}


def ok(what):
    print("ok open311 " + what, flush=True)


def fail(what):
    raise AssertionError(what)


def load_schemas():
    schemas = {}
    for name in os.listdir(SCHEMA_DIR):
        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            schemas[name[:-len(".json")]] = json.load(f)
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    return {name: jsonschema.Draft202012Validator(s, registry=registry, format_checker=jsonschema.FormatChecker())
            for name, s in schemas.items()}


VALIDATORS = load_schemas()


def validate(schema, data, what):
    errors = sorted(VALIDATORS[schema].iter_errors(data), key=lambda e: list(e.path))
    if errors:
        fail(f"{what}: not valid against {schema}.json: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))


# --- the admin API, for the key and for counting orders ---

def login(user):
    for _ in range(8):
        reply = requests.post(BASE + "/api/v1/auth/login", json={"username": user, "password": PASSWORD}, timeout=30)
        if reply.status_code == 429:
            time.sleep(min(60, int(reply.headers.get("Retry-After", "10"))))
            continue
        reply.raise_for_status()
        return reply.json()["token"]
    fail(f"{user} could not log in: still rate-limited")


def api(method, path, token, body=None):
    return requests.request(method, BASE + "/api/v1" + path, json=body, headers={"Authorization": "Bearer " + token}, timeout=60)


def open311_orders(admin):
    reply = api("GET", "/orders?channel=open311&size=1", admin)
    reply.raise_for_status()
    return reply.json()["total"]


# --- XML read back as the JSON it should equal ---

def element_value(node):
    children = [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]
    if node.tagName in LIST_ITEMS:
        item = LIST_ITEMS[node.tagName]
        if any(c.tagName != item for c in children):
            fail(f"<{node.tagName}> holds something other than <{item}>")
        return [element_value(c) for c in children]
    if children:
        names = [c.tagName for c in children]
        if len(set(names)) != len(names):
            fail(f"<{node.tagName}> repeats a field: {names}")
        return {c.tagName: element_value(c) for c in children}
    text = "".join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE))
    return text if node.childNodes else None


def same(xml_value, json_value, path="$"):
    if isinstance(json_value, bool):
        ok_ = xml_value == ("true" if json_value else "false")
    elif isinstance(json_value, (int, float)):
        ok_ = xml_value is not None and float(xml_value) == float(json_value)
    elif json_value is None:
        ok_ = xml_value is None or xml_value == ""
    elif isinstance(json_value, str):
        ok_ = xml_value == json_value or (json_value == "" and xml_value is None)
    elif isinstance(json_value, list):
        if not isinstance(xml_value, list) or len(xml_value) != len(json_value):
            fail(f"{path}: XML has {xml_value!r}, JSON has a list of {len(json_value)}")
        for i, (x, j) in enumerate(zip(xml_value, json_value)):
            same(x, j, f"{path}[{i}]")
        return
    elif isinstance(json_value, dict):
        if not isinstance(xml_value, dict) or set(xml_value) != set(json_value):
            fail(f"{path}: XML fields {sorted(xml_value or [])} differ from JSON's {sorted(json_value)}")
        for key in json_value:
            same(xml_value[key], json_value[key], f"{path}.{key}")
        return
    else:
        ok_ = False
    if not ok_:
        fail(f"{path}: XML says {xml_value!r}, JSON says {json_value!r}")


def parse_xml(reply, root, what):
    media = reply.headers.get("Content-Type", "")
    if not media.startswith("text/xml"):
        fail(f"{what}: Content-Type is {media!r}, not text/xml")
    text = reply.content.decode("utf-8")
    if not text.startswith('<?xml version="1.0" encoding="utf-8"?>'):
        fail(f"{what}: no XML declaration with the encoding")
    document = xml.dom.minidom.parseString(reply.content)  # raises on anything not well-formed
    if document.documentElement.tagName != root:
        fail(f"{what}: root <{document.documentElement.tagName}>, expected <{root}>")
    return element_value(document.documentElement)


def fetch(method, path, status, schema, root, what, **kwargs):
    """The JSON and the XML answer of one resource (`path` without its extension): both with `status`, the JSON valid
    against `schema`, the XML well-formed and equal to the JSON. Returns the JSON."""
    answers = {}
    for fmt in ("json", "xml"):
        reply = requests.request(method, f"{API}/{path}.{fmt}", timeout=60, **kwargs)
        if reply.status_code != status:
            fail(f"{what} ({fmt}): status {reply.status_code}, expected {status}: {reply.text[:300]}")
        answers[fmt] = reply
    body = answers["json"]
    if not body.headers.get("Content-Type", "").startswith("application/json"):
        fail(f"{what}: JSON answered as {body.headers.get('Content-Type')}")
    data = body.json()
    validate(schema, data, what)
    same(parse_xml(answers["xml"], root, what), data)
    ok(f"{what}: {status}, JSON valid against {schema}.json, XML well-formed and the same")
    return data


def refused(method, path, status, what, **kwargs):
    data = fetch(method, path, status, "errors", "errors", what, **kwargs)
    if data[0]["code"] != status:
        fail(f"{what}: error code {data[0]['code']} under status {status}")
    return data


def main():
    # The key: an administrator issues one with the open311 scope for an agent; a role that may not take requests
    # cannot hold one, and the key opens nothing in /api/v1.
    admin = login("admin")
    issued = api("POST", "/api-keys", admin, {"user_id": "agent2", "label": "Open311 协议检查", "scopes": ["open311"], "days": 1})
    if issued.status_code != 201:
        fail(f"issuing the open311 key: {issued.status_code} {issued.text}")
    key = issued.json()["token"]
    ok("an admin issues an API key with the open311 scope")
    wrong_role = api("POST", "/api-keys", admin, {"user_id": "reviewer", "label": "审核员", "scopes": ["open311"], "days": 1})
    if wrong_role.status_code != 422:
        fail(f"a reviewer's open311 key: {wrong_role.status_code}")
    for method, path in [("GET", "/orders"), ("POST", "/orders"), ("GET", "/units")]:
        reply = api(method, path, key, {} if method == "POST" else None)
        if reply.status_code != 403 or reply.json()["error"]["code"] != "insufficient_scope":
            fail(f"the open311 key on {method} {path}: {reply.status_code} {reply.text[:200]}")
    ok("an open311 key is refused for a role that may not take requests, and opens nothing in /api/v1")

    discovery = fetch("GET", "discovery", 200, "discovery", "discovery", "discovery")
    if discovery["endpoints"][0]["url"] != API:
        fail(f"discovery names {discovery['endpoints'][0]['url']}, not {API}")

    services = fetch("GET", "services", 200, "services", "services", "services")
    if not services:
        fail("no services")
    service = next((s for s in services if "路灯" in s["service_name"]), services[0])
    code = service["service_code"]
    definition = fetch("GET", f"services/{code}", 200, "service-definition", "service_definition", f"service definition {code}")
    if "kind" not in [a["code"] for a in definition["attributes"]]:
        fail("the service definition has no kind attribute")

    before = open311_orders(admin)
    # The caller names themselves in the first sentence, which becomes the order's title: the public read masks it.
    description = "张三丰（13912345678）反映：幸福路与人民路交叉口的路灯连续三晚不亮。请尽快修复。"
    post = {"service_code": code, "description": description, "lat": "30.5928", "long": "114.3055",
            "address_string": "人民路88号", "first_name": "三丰", "last_name": "张", "phone": "13912345678",
            "email": "zhang@example.com", "attribute[kind]": "complaint"}
    created = {}
    for fmt in ("json", "xml"):
        # The key in the body for JSON, in the query string for XML: both are accepted.
        params, data = ({}, dict(post, api_key=key)) if fmt == "json" else ({"api_key": key}, dict(post, phone="13912345679"))
        reply = requests.post(f"{API}/requests.{fmt}", params=params, data=data, timeout=60)
        if reply.status_code != 200:
            fail(f"POST requests.{fmt}: {reply.status_code} {reply.text[:300]}")
        if fmt == "json":
            answer = reply.json()
            validate("posted", answer, "POST requests.json")
        else:
            answer = parse_xml(reply, "service_requests", "POST requests.xml")
            validate("posted", [{k: v for k, v in answer[0].items() if v is not None}], "POST requests.xml")
        created[fmt] = answer[0]["service_request_id"]
    ok(f"POST requests in both formats, the key in the body and in the query string: {created['json']}, {created['xml']}")
    if open311_orders(admin) != before + 2:
        fail("the two requests were not stored as Open311 orders")

    # Refusals: each one in the spec's error format, and none stores anything.
    refused("POST", "requests", 403, "POST without a key", data=post)
    refused("POST", "requests", 403, "POST with a bad key", data=dict(post, api_key="not-a-key"))
    refused("POST", "requests", 404, "POST for an unknown service", data=dict(post, api_key=key, service_code="99.99"))
    refused("POST", "requests", 400, "POST without a description", data={k: v for k, v in dict(post, api_key=key).items() if k != "description"})
    refused("POST", "requests", 400, "POST with a description over 4,000 characters", data=dict(post, api_key=key, description="路" * 4001))
    refused("POST", "requests", 400, "POST without a place", data={k: v for k, v in dict(post, api_key=key).items()
                                                                    if k not in ("lat", "long", "address_string")})
    refused("POST", "requests", 400, "POST with an unknown kind", data=dict(post, api_key=key, **{"attribute[kind]": "无此类型"}))
    if open311_orders(admin) != before + 2:
        fail("a refused POST stored an order")
    ok("no refused POST stored anything")

    one = fetch("GET", f"requests/{created['json']}", 200, "requests", "service_requests", "GET requests/{id}")
    if len(one) != 1 or one[0]["service_request_id"] != created["json"] or one[0]["status"] != "open":
        fail(f"GET requests/{{id}}: {one}")
    text = json.dumps(one, ensure_ascii=False)
    for secret in ("13912345678", "张三丰", "三丰", "zhang@example.com", "人民路88号"):
        if secret in text:
            fail(f"the public read shows the caller's {secret}")
    ok("a public read shows neither the caller's name, phone, email nor address text")
    listed = fetch("GET", "requests", 200, "requests", "service_requests", "GET requests (the last 90 days)")
    if created["json"] not in [r["service_request_id"] for r in listed] or len(listed) > 1000:
        fail("the default list lacks the new request or holds more than 1,000")
    both = fetch("GET", "requests", 200, "requests", "service_requests", "GET requests by service_request_id",
                 params={"service_request_id": f"{created['json']},{created['xml']}", "status": "closed", "service_code": "99"})
    if sorted(r["service_request_id"] for r in both) != sorted(created.values()):
        fail(f"service_request_id did not override the other filters: {both}")
    fetch("GET", "requests", 200, "requests", "service_requests", "GET requests by service_code, status and dates",
          params={"service_code": code, "status": "open,closed", "start_date": "2020-01-01T00:00:00+08:00", "end_date": "2020-02-01T00:00:00Z"})
    refused("GET", "requests", 400, "GET requests over more than 90 days",
            params={"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-06-01T00:00:00Z"})
    refused("GET", "requests", 400, "GET requests with an unknown status", params={"status": "pending"})
    refused("GET", "requests/20000101999999", 404, "GET an unknown request")
    refused("GET", "services/99.99", 404, "GET an unknown service definition")
    refused("GET", "tokens/abc123", 404, "GET an unknown token")
    reply = requests.get(f"{API}/services.yaml", timeout=30)
    if reply.status_code != 404:
        fail(f"an unknown format: {reply.status_code}")
    errors = parse_xml(reply, "errors", "an unknown format")
    validate("errors", [{"code": int(e["code"]), "description": e["description"]} for e in errors], "an unknown format")
    ok("an unknown format: 404 in the spec's XML error format")

    # A client written for any Open311 city, unchanged.
    for fmt in ("json", "xml"):
        client = georeport.GeoReport(API, output_format=fmt)
        listed_services = client.get_service_list()
        if code not in [s["service_code"] for s in listed_services]:
            fail(f"georeport ({fmt}): the services lack {code}")
        got = client.get_service_definition(code)
        attributes = got["attributes"] if fmt == "json" else got["attributes"]["attribute"]
        if "kind" not in [a["code"] for a in attributes]:
            fail(f"georeport ({fmt}): the definition lacks the kind attribute")
        requests_ = client.get_service_requests(service_request_id=created[fmt])
        requests_ = requests_ if isinstance(requests_, list) else [requests_]
        if [r["service_request_id"] for r in requests_] != [created[fmt]]:
            fail(f"georeport ({fmt}): get_service_requests gave {requests_}")
        single = client.get_service_request(created[fmt])
        if single["service_request_id"] != created[fmt] or single["status"] != "open" or single["service_code"] != code:
            fail(f"georeport ({fmt}): get_service_request gave {single}")
        ok(f"georeport {georeport.__version__} round trip in {fmt}: services, definition, request list and the request")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, requests.RequestException, jsonschema.exceptions.SchemaError) as e:
        print(f"FAILED open311: {e}", file=sys.stderr)
        sys.exit(1)
