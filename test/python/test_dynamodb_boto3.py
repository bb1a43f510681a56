"""DynamoDB through boto3 (the low-level client and the resource API) and
the AWS CLI: exact decimal aggregates with ADD, Python types through the
resource layer, key conditions and filters with paging, conditional
writes, parallel scans, the validation errors applications meet, PartiQL,
and DynamoDB Streams read as a change-data-capture consumer reads them."""

import json
import os
import sys
import threading
import time
import unittest
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import Binary
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402


def code(err):
    return err.exception.response["Error"]["Code"]


def message(err):
    return err.exception.response["Error"]["Message"]


def canonical(d):
    """DynamoDB's text for a number: plain digits, no trailing zeros."""
    return format(d.normalize(), "f")


def resource(region="us-east-1"):
    return boto3.resource(
        "dynamodb",
        endpoint_url=harness.endpoint(),
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )


def schema(hash_key, range_key=None):
    """CreateTable's KeySchema and AttributeDefinitions for (name, type) keys."""
    keys = [(hash_key, "HASH")] + ([(range_key, "RANGE")] if range_key else [])
    return {
        "KeySchema": [{"AttributeName": k[0], "KeyType": t} for k, t in keys],
        "AttributeDefinitions": [{"AttributeName": k[0], "AttributeType": k[1]} for k, _ in keys],
    }


class DynamoDBClientTest(unittest.TestCase):
    """The low-level client: the wire shapes exactly as DynamoDB sends them."""

    @classmethod
    def setUpClass(cls):
        cls.ddb = harness.client("dynamodb")

    def table(self, hash_key=("pk", "S"), range_key=None, **kw):
        name = harness.unique("t")
        kw.setdefault("BillingMode", "PAY_PER_REQUEST")
        desc = self.ddb.create_table(TableName=name, **{**schema(hash_key, range_key), **kw})["TableDescription"]
        self.assertEqual(desc["TableName"], name)
        self.ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        return name

    def test_add_decimal_amounts_is_exact(self):
        # The seed pipeline: every transaction ADDs its amount to the
        # customer's daily aggregate; the total must be exact to the cent.
        name = self.table(("customer_id", "S"), ("date", "S"))
        key = {"customer_id": {"S": "c-1"}, "date": {"S": "2026-11-22"}}
        amounts = ["19.99", "0.01", "0.1", "5.05", "1234.56", "0.33", "99.999", "7", "0.2", "12.345"] * 12
        for amount in amounts:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="ADD total_spend :val",
                                 ExpressionAttributeValues={":val": {"N": str(amount)}})
        expected = sum((Decimal(a) for a in amounts), Decimal(0))
        item = self.ddb.get_item(TableName=name, Key=key, ConsistentRead=True)["Item"]
        # ADD on a missing item makes it from the key and the attribute.
        self.assertEqual(set(item), {"customer_id", "date", "total_spend"})
        self.assertEqual(item["total_spend"], {"N": canonical(expected)})
        self.assertEqual(Decimal(item["total_spend"]["N"]), expected)

        # UPDATED_NEW returns only the attribute the update wrote; a
        # negative amount (a refund) subtracts exactly.
        out = self.ddb.update_item(TableName=name, Key=key, UpdateExpression="ADD total_spend :val",
                                   ExpressionAttributeValues={":val": {"N": "-0.01"}}, ReturnValues="UPDATED_NEW")
        expected -= Decimal("0.01")
        self.assertEqual(out["Attributes"], {"total_spend": {"N": canonical(expected)}})

        # The same with SET and if_not_exists, on another day.
        key2 = {"customer_id": {"S": "c-1"}, "date": {"S": "2026-11-23"}}
        for amount in ("0.1", "0.2", "0.3"):
            self.ddb.update_item(TableName=name, Key=key2,
                                 UpdateExpression="SET total_spend = if_not_exists(total_spend, :zero) + :val",
                                 ExpressionAttributeValues={":zero": {"N": "0"}, ":val": {"N": amount}})
        item = self.ddb.get_item(TableName=name, Key=key2)["Item"]
        self.assertEqual(item["total_spend"], {"N": "0.6"})

        # Query the customer's days, summing them.
        res = self.ddb.query(TableName=name, KeyConditionExpression="customer_id = :c",
                             ExpressionAttributeValues={":c": {"S": "c-1"}})
        self.assertEqual([i["date"]["S"] for i in res["Items"]], ["2026-11-22", "2026-11-23"])
        self.assertEqual(sum(Decimal(i["total_spend"]["N"]) for i in res["Items"]), expected + Decimal("0.6"))

    def test_item_collection_metrics(self):
        # On a table with a local index, ReturnItemCollectionMetrics SIZE
        # names the item collection a write touched and its size range in
        # GB; a table without one answers nothing.
        s = schema(("customer", "S"), ("order", "S"))
        s["AttributeDefinitions"].append({"AttributeName": "amount", "AttributeType": "N"})
        name = self.table(("customer", "S"), ("order", "S"), AttributeDefinitions=s["AttributeDefinitions"], LocalSecondaryIndexes=[{
            "IndexName": "by-amount", "Projection": {"ProjectionType": "KEYS_ONLY"},
            "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "amount", "KeyType": "RANGE"}]}])
        item = {"customer": {"S": "ann"}, "order": {"S": "o1"}, "amount": {"N": "5"}}
        out = self.ddb.put_item(TableName=name, Item=item, ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(out["ItemCollectionMetrics"], {"ItemCollectionKey": {"customer": {"S": "ann"}}, "SizeEstimateRangeGB": [0.0, 1.0]})
        out = self.ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": dict(item, order={"S": "o2"})}}]},
                                        ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(out["ItemCollectionMetrics"], {name: [{"ItemCollectionKey": {"customer": {"S": "ann"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]})
        plain = self.table()
        out = self.ddb.put_item(TableName=plain, Item={"pk": {"S": "a"}}, ReturnItemCollectionMetrics="SIZE")
        self.assertNotIn("ItemCollectionMetrics", out)
        with self.assertRaises(ClientError) as e:
            self.ddb.delete_item(TableName=name, Key={"customer": {"S": "ann"}, "order": {"S": "o1"}}, ReturnItemCollectionMetrics="ALL")
        self.assertEqual(code(e), "ValidationException")

    def test_item_collection_limit(self):
        # A server of its own with the 10 GB limit on an item collection
        # lowered to 1,500 bytes: the third large item of one customer is
        # refused with the exception boto3 names, and nothing is written.
        url, stop = harness.own_server("--dynamodb-collection-limit", "1500")
        self.addCleanup(stop)
        ddb = harness.client("dynamodb", url=url)
        s = schema(("customer", "S"), ("order", "S"))
        s["AttributeDefinitions"].append({"AttributeName": "amount", "AttributeType": "N"})
        ddb.create_table(TableName="orders", BillingMode="PAY_PER_REQUEST", **s, LocalSecondaryIndexes=[{
            "IndexName": "by-amount", "Projection": {"ProjectionType": "KEYS_ONLY"},
            "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "amount", "KeyType": "RANGE"}]}])

        def item(order):
            return {"customer": {"S": "ann"}, "order": {"S": order}, "amount": {"N": "5"}, "note": {"S": "x" * 400}}
        ddb.put_item(TableName="orders", Item=item("o1"))
        ddb.put_item(TableName="orders", Item=item("o2"))
        with self.assertRaises(ddb.exceptions.ItemCollectionSizeLimitExceededException) as e:
            ddb.put_item(TableName="orders", Item=item("o3"))
        self.assertEqual(e.exception.response["Error"]["Message"], "Collection size exceeded.")
        self.assertEqual(ddb.scan(TableName="orders", Select="COUNT")["Count"], 2)
        ddb.delete_item(TableName="orders", Key={"customer": {"S": "ann"}, "order": {"S": "o1"}})
        ddb.put_item(TableName="orders", Item=item("o3"))

    def test_concurrent_adds_are_atomic(self):
        name = self.table(("customer_id", "S"), ("date", "S"))
        key = {"customer_id": {"S": "c-2"}, "date": {"S": "2026-11-22"}}
        amounts = ["19.99", "0.01", "3.33", "0.07"]
        errors = []

        def worker(amount):
            try:
                for _ in range(20):
                    self.ddb.update_item(TableName=name, Key=key, UpdateExpression="ADD total_spend :val, txn_count :one",
                                         ExpressionAttributeValues={":val": {"N": amount}, ":one": {"N": "1"}})
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(a,)) for a in amounts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        item = self.ddb.get_item(TableName=name, Key=key, ConsistentRead=True)["Item"]
        self.assertEqual(item["txn_count"], {"N": "80"})
        self.assertEqual(item["total_spend"], {"N": canonical(sum(Decimal(a) for a in amounts) * 20)})

    def test_numbers(self):
        name = self.table()

        def put(n):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "n"}, "v": {"N": n}})
            return self.ddb.get_item(TableName=name, Key={"pk": {"S": "n"}})["Item"]["v"]["N"]

        self.assertEqual(put("1.50"), "1.5")
        self.assertEqual(put("-0.000"), "0")
        digits38 = "12345678901234567890123456789012345678"
        self.assertEqual(put(digits38), digits38)
        self.assertEqual(put("-0." + digits38), "-0." + digits38)
        # Leading and trailing zeros are not significant.
        self.assertEqual(put("1" + "0" * 38), "1" + "0" * 38)
        self.assertEqual(put("0.000" + digits38), "0.000" + digits38)

        with self.assertRaises(ClientError) as e:
            put(digits38 + "9")
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("more than 38 significant digits", message(e))
        self.assertEqual(put("1.2345678901234567890123456789012345678"), "1.2345678901234567890123456789012345678")
        with self.assertRaises(ClientError) as e:
            put("1.23456789012345678901234567890123456789")
        self.assertIn("more than 38 significant digits", message(e))
        with self.assertRaises(ClientError) as e:
            put("1E+126")
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("Number overflow", message(e))
        with self.assertRaises(ClientError) as e:
            put("1E-131")
        self.assertIn("Number underflow", message(e))
        with self.assertRaises(ClientError) as e:
            put("twelve")
        self.assertEqual(code(e), "ValidationException")

        # Arithmetic that needs a 39th digit fails and leaves the item;
        # DynamoDB calls that an overflow, whatever the magnitude.
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "sum"}, "v": {"N": digits38}})
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key={"pk": {"S": "sum"}}, UpdateExpression="ADD v :x",
                                 ExpressionAttributeValues={":x": {"N": "0.1"}})
        self.assertEqual(code(e), "ValidationException")
        self.assertEqual(message(e), "Number overflow. Attempting to store a number with magnitude larger than supported range")
        self.assertEqual(self.ddb.get_item(TableName=name, Key={"pk": {"S": "sum"}})["Item"]["v"], {"N": digits38})

    def test_describe_endpoints(self):
        # Lakebox itself, with its scheme: a client discovering endpoints keeps calling it.
        self.assertEqual(self.ddb.describe_endpoints()["Endpoints"],
                         [{"Address": harness.endpoint(), "CachePeriodInMinutes": 1440}])

    def test_validation_errors(self):
        name = self.table()
        key = {"pk": {"S": "k"}}
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "status": {"S": "new"}, "n": {"N": "1"}})

        # A reserved word must go through ExpressionAttributeNames.
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET status = :s",
                                 ExpressionAttributeValues={":s": {"S": "paid"}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("reserved keyword", message(e))
        self.assertIn("status", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName=name, Key=key, ProjectionExpression="pk, status")
        self.assertIn("reserved keyword", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.query(TableName=name, KeyConditionExpression="pk = :k", FilterExpression="status = :s",
                           ExpressionAttributeValues={":k": {"S": "k"}, ":s": {"S": "new"}})
        self.assertIn("reserved keyword", message(e))
        self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET #s = :s",
                             ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "paid"}})
        self.assertEqual(self.ddb.get_item(TableName=name, Key=key)["Item"]["status"], {"S": "paid"})

        # Every name and value given must be used.
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET n = :n",
                                 ExpressionAttributeValues={":n": {"N": "2"}, ":unused": {"N": "3"}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("Value provided in ExpressionAttributeValues unused in expressions", message(e))
        self.assertIn(":unused", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET n = :n",
                                 ExpressionAttributeNames={"#x": "x"}, ExpressionAttributeValues={":n": {"N": "2"}})
        self.assertIn("Value provided in ExpressionAttributeNames unused in expressions", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET n = :missing",
                                 ExpressionAttributeValues={":n": {"N": "2"}})
        self.assertIn(":missing", message(e))
        # An expression given empty is refused, never taken for one not given.
        for kwargs in ({"UpdateExpression": ""}, {"UpdateExpression": "SET n = :n", "ConditionExpression": "",
                                                  "ExpressionAttributeValues": {":n": {"N": "2"}}}):
            with self.assertRaises(ClientError) as e:
                self.ddb.update_item(TableName=name, Key=key, **kwargs)
            self.assertEqual(code(e), "ValidationException")
            which = "ConditionExpression" if "ConditionExpression" in kwargs else "UpdateExpression"
            self.assertEqual(message(e), "Invalid %s: The expression can not be empty;" % which)
        with self.assertRaises(ClientError) as e:
            self.ddb.query(TableName=name, KeyConditionExpression="pk = :k", FilterExpression="",
                           ExpressionAttributeValues={":k": {"S": "k"}})
        self.assertEqual(message(e), "Invalid FilterExpression: The expression can not be empty;")
        # ExpressionAttributeNames, given, holds #names.
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName=name, Key=key, ProjectionExpression="pk", ExpressionAttributeNames={})
        self.assertEqual(message(e), "ExpressionAttributeNames must not be empty")
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName=name, Key=key, ProjectionExpression="#p", ExpressionAttributeNames={"#p": "pk", "x": "n"})
        self.assertEqual(message(e), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"')
        # Projections name each path once; the old AttributesToGet each name once.
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName=name, Key=key, ProjectionExpression="n, pk, n")
        self.assertIn("Invalid ProjectionExpression: Two document paths overlap with each other", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName=name, Key=key, AttributesToGet=["n", "n"])
        self.assertEqual(message(e), "One or more parameter values were invalid: Duplicate value in attribute name: n")
        # A Query's filter may not name the key: that is the key condition's.
        with self.assertRaises(ClientError) as e:
            self.ddb.query(TableName=name, KeyConditionExpression="pk = :k", FilterExpression="pk = :k",
                           ExpressionAttributeValues={":k": {"S": "k"}})
        self.assertEqual(message(e), "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk")
        with self.assertRaises(ClientError) as e:
            self.ddb.query(TableName=name, KeyConditions={"pk": {"AttributeValueList": [{"S": "k"}], "ComparisonOperator": "EQ"}},
                           QueryFilter={"pk": {"AttributeValueList": [{"S": "k"}], "ComparisonOperator": "EQ"}})
        self.assertEqual(message(e), "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk")
        # None of the refused updates changed the item.
        self.assertEqual(self.ddb.get_item(TableName=name, Key=key)["Item"]["n"], {"N": "1"})

        # Sets may not be empty.
        with self.assertRaises(ClientError) as e:
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "e"}, "tags": {"SS": []}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("may not be empty", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "e"}, "tags": {"SS": ["a", "a"]}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("duplicates", message(e))
        self.assertNotIn("Item", self.ddb.get_item(TableName=name, Key={"pk": {"S": "e"}}))

        # The key: present, of its type, and never updated.
        with self.assertRaises(ClientError) as e:
            self.ddb.put_item(TableName=name, Item={"other": {"S": "x"}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("Missing the key pk", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.put_item(TableName=name, Item={"pk": {"N": "1"}})
        self.assertIn("Type mismatch for key pk", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName=name, Key={"pk": {"S": "k"}, "extra": {"S": "x"}})
        self.assertIn("The provided key element does not match the schema", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET pk = :v",
                                 ExpressionAttributeValues={":v": {"S": "other"}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("Cannot update attribute pk", message(e))
        self.assertIn("part of the key", message(e))

        # Expressions are parsed.
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET n = = :n",
                                 ExpressionAttributeValues={":n": {"N": "2"}})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("Syntax error", message(e))
        with self.assertRaises(ClientError) as e:
            self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET n = :a REMOVE n",
                                 ExpressionAttributeValues={":a": {"N": "2"}})
        self.assertIn("overlap", message(e))

        # A table that does not exist.
        missing = harness.unique("missing")
        for call in (
            lambda: self.ddb.get_item(TableName=missing, Key=key),
            lambda: self.ddb.put_item(TableName=missing, Item=key),
            lambda: self.ddb.update_item(TableName=missing, Key=key, UpdateExpression="ADD n :one",
                                         ExpressionAttributeValues={":one": {"N": "1"}}),
            lambda: self.ddb.delete_item(TableName=missing, Key=key),
            lambda: self.ddb.query(TableName=missing, KeyConditionExpression="pk = :k",
                                   ExpressionAttributeValues={":k": {"S": "k"}}),
            lambda: self.ddb.scan(TableName=missing),
            lambda: self.ddb.describe_table(TableName=missing),
            lambda: self.ddb.delete_table(TableName=missing),
        ):
            with self.assertRaises(self.ddb.exceptions.ResourceNotFoundException) as e:
                call()
            self.assertEqual(code(e), "ResourceNotFoundException")
        with self.assertRaises(ClientError) as e:
            self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **schema(("pk", "S")))
        self.assertEqual(code(e), "ResourceInUseException")

    def test_document_paths(self):
        name = self.table()
        key = {"pk": {"S": "d"}}
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "d"}, "s": {"S": "text"},
                                                "l": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]},
                                                "m": {"M": {"a": {"M": {"b": {"N": "1"}}}}}})

        def update(expr, **values):
            kw = {"ExpressionAttributeValues": {f":{k}": v for k, v in values.items()}} if values else {}
            return self.ddb.update_item(TableName=name, Key=key, UpdateExpression=expr, ReturnValues="ALL_NEW", **kw)["Attributes"]

        # SET past a list's end appends; REMOVE of an element shifts the rest.
        item = update("SET l[10] = :x, m.a.c = :y", x={"S": "end"}, y={"BOOL": True})
        self.assertEqual(item["l"], {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}, {"S": "end"}]})
        self.assertEqual(item["m"], {"M": {"a": {"M": {"b": {"N": "1"}, "c": {"BOOL": True}}}}})
        item = update("REMOVE l[0], l[2]")
        self.assertEqual(item["l"], {"L": [{"N": "2"}, {"S": "end"}]})
        item = update("SET dup = m.a.b, l[0] = l[0] + :one", one={"N": "1"})
        self.assertEqual((item["dup"], item["l"]["L"][0]), ({"N": "1"}, {"N": "3"}))

        for expr, values, text in (
            ("SET m.nope.q = :v", {"v": {"N": "1"}}, "document path provided in the update expression is invalid"),
            ("SET n = nope", {}, "attribute that does not exist"),
            ("ADD s :one", {"one": {"N": "1"}}, "incorrect data type"),
            ("SET n = s + :one", {"one": {"N": "1"}}, "incorrect data type"),
        ):
            with self.assertRaises(ClientError) as e:
                update(expr, **values)
            self.assertEqual(code(e), "ValidationException", expr)
            self.assertIn(text, message(e), expr)
        self.assertNotIn("n", self.ddb.get_item(TableName=name, Key=key)["Item"])

    def test_condition_functions(self):
        name = self.table()
        key = {"pk": {"S": "f"}}
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "f"}, "s": {"S": "four"}, "n": {"N": "1"}})

        def put_if(cond, **values):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "f"}, "s": {"S": "four"}, "n": {"N": "1"}},
                              ConditionExpression=cond,
                              ExpressionAttributeValues={f":{k}": v for k, v in values.items()})

        # size() of a value as of a path: "four" and "abcd" are both 4 long.
        put_if("size(s) = size(:v) AND attribute_type(n, :t)", v={"S": "abcd"}, t={"S": "N"})
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException):
            put_if("size(s) > size(:v)", v={"S": "abcd"})
        # What has no size, and attribute_type of anything but a type's name,
        # are refused before the item is read.
        for cond, values, text in (
            ("size(:v) > :z", {"v": {"N": "5"}, "z": {"N": "0"}},
             "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"),
            ("attribute_type(n, s)", {},
             "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }"),
            ("attribute_type(n, :t)", {"t": {"S": "NUMBER"}},
             "Invalid ConditionExpression: Invalid attribute type name found; type: NUMBER, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }"),
        ):
            with self.assertRaises(ClientError) as e:
                self.ddb.put_item(TableName=name, Item=key, ConditionExpression=cond,
                                  **({"ExpressionAttributeValues": {f":{k}": v for k, v in values.items()}} if values else {}))
            self.assertEqual((code(e), message(e)), ("ValidationException", text), cond)
        self.assertEqual(self.ddb.get_item(TableName=name, Key=key)["Item"]["s"], {"S": "four"})

    def test_tables(self):
        name = self.table(("pk", "S"), ("sk", "N"), BillingMode="PROVISIONED",
                          ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3})
        desc = self.ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(desc["TableStatus"], "ACTIVE")
        self.assertEqual(desc["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                             {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(desc["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(desc["ProvisionedThroughput"]["WriteCapacityUnits"], 3)
        self.assertTrue(desc["TableArn"].startswith("arn:aws:dynamodb:us-east-1:"))
        self.assertTrue(desc["TableArn"].endswith(f":table/{name}"))
        self.assertEqual(desc["ItemCount"], 0)
        self.assertIn(name, self.ddb.list_tables()["TableNames"])
        # Paging ListTables by name.
        names = []
        for page in self.ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1}):
            self.assertLessEqual(len(page["TableNames"]), 1)
            names += page["TableNames"]
        self.assertEqual(names, sorted(names))
        self.assertIn(name, names)
        # Tables are per region.
        west = harness.client("dynamodb", region="us-west-2")
        self.assertNotIn(name, west.list_tables()["TableNames"])

        for sk in ("10", "-5", "0.5", "2", "100", "-0.25"):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": sk}})
        # A numeric sort key sorts by value, not as text.
        res = self.ddb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
        self.assertEqual([i["sk"]["N"] for i in res["Items"]], ["-5", "-0.25", "0.5", "2", "10", "100"])
        res = self.ddb.query(TableName=name, KeyConditionExpression="pk = :p AND sk >= :lo", ScanIndexForward=False,
                             ExpressionAttributeValues={":p": {"S": "p"}, ":lo": {"N": "0.5"}})
        self.assertEqual([i["sk"]["N"] for i in res["Items"]], ["100", "10", "2", "0.5"])
        res = self.ddb.query(TableName=name, KeyConditionExpression="pk = :p AND sk < :hi", Select="COUNT",
                             ExpressionAttributeValues={":p": {"S": "p"}, ":hi": {"N": "2"}})
        self.assertEqual((res["Count"], res["ScannedCount"]), (3, 3))
        self.assertNotIn("Items", res)
        self.assertEqual(self.ddb.describe_table(TableName=name)["Table"]["ItemCount"], 6)

        cap = self.ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": "1"}}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(cap["ConsumedCapacity"]["TableName"], name)
        self.assertEqual(cap["ConsumedCapacity"]["CapacityUnits"], 1.0)

        self.ddb.delete_table(TableName=name)
        self.ddb.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        self.assertNotIn(name, self.ddb.list_tables()["TableNames"])

        # A global secondary index, queried through boto3.
        gsi = harness.unique("gsi")
        self.ddb.create_table(TableName=gsi, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                    {"AttributeName": "g", "AttributeType": "S"}],
                              GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                       "Projection": {"ProjectionType": "ALL"}}])
        for pk, g in [("a", "x"), ("b", "y"), ("c", "x"), ("d", None)]:
            item = {"pk": {"S": pk}}
            if g:
                item["g"] = {"S": g}
            self.ddb.put_item(TableName=gsi, Item=item)
        res = self.ddb.query(TableName=gsi, IndexName="by-g", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": "x"}})
        self.assertEqual(sorted(i["pk"]["S"] for i in res["Items"]), ["a", "c"])
        desc = self.ddb.describe_table(TableName=gsi)["Table"]["GlobalSecondaryIndexes"]
        self.assertEqual([(d["IndexName"], d["IndexStatus"]) for d in desc], [("by-g", "ACTIVE")])

    def test_encryption(self):
        # Enabled alone is the account's DynamoDB key; a key id is reported
        # as its ARN. Items read back the same whichever the key.
        name = self.table(SSESpecification={"Enabled": True})
        sse = self.ddb.describe_table(TableName=name)["Table"]["SSEDescription"]
        self.assertEqual((sse["Status"], sse["SSEType"]), ("ENABLED", "KMS"))
        self.assertTrue(sse["KMSMasterKeyArn"].startswith("arn:aws:kms:us-east-1:"))
        self.assertTrue(sse["KMSMasterKeyArn"].endswith(":alias/aws/dynamodb"))
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "0.1"}, "note": {"S": "kept sealed"}})
        self.ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="ADD v :v",
                             ExpressionAttributeValues={":v": {"N": "0.2"}})
        item = {"pk": {"S": "a"}, "v": {"N": "0.3"}, "note": {"S": "kept sealed"}}
        self.assertEqual(self.ddb.get_item(TableName=name, Key={"pk": {"S": "a"}}, ConsistentRead=True)["Item"], item)

        # UpdateTable answers as DynamoDB does, UPDATING with the key the
        # table had; DescribeTable tells the new key.
        out = self.ddb.update_table(TableName=name, SSESpecification={
            "Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})
        self.assertEqual(out["TableDescription"]["SSEDescription"]["Status"], "UPDATING")
        self.assertEqual(out["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"], sse["KMSMasterKeyArn"])
        self.assertTrue(self.ddb.describe_table(TableName=name)["Table"]["SSEDescription"]["KMSMasterKeyArn"].endswith(
            ":key/1234abcd-12ab-34cd-56ef-1234567890ab"))
        self.ddb.update_table(TableName=name, SSESpecification={"Enabled": False})
        self.assertNotIn("SSEDescription", self.ddb.describe_table(TableName=name)["Table"])
        self.assertEqual(self.ddb.scan(TableName=name)["Items"], [item])

        with self.assertRaises(ClientError) as cm:
            self.table(SSESpecification={"Enabled": True, "SSEType": "AES256"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")
        self.assertEqual(cm.exception.response["Error"]["Message"],
                         "One or more parameter values were invalid: SSEType AES256 is not supported")


class DynamoDBResourceTest(unittest.TestCase):
    """boto3's resource layer: Python types, condition builders, waiters."""

    @classmethod
    def setUpClass(cls):
        cls.db = resource()
        cls.client = cls.db.meta.client  # serializes Python types, like the resource
        cls.raw = harness.client("dynamodb")  # wire shapes

    def table(self, range_key=("sk", "S")):
        name = harness.unique("r")
        keys = [("pk", "S", "HASH")] + ([(range_key[0], range_key[1], "RANGE")] if range_key else [])
        table = self.db.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": n, "KeyType": k} for n, _, k in keys],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t, _ in keys],
            BillingMode="PAY_PER_REQUEST",
        )
        start = time.monotonic()
        table.wait_until_exists()  # the table_exists waiter, its default 20 s delay
        self.assertLess(time.monotonic() - start, 5, "table_exists should pass on its first DescribeTable")
        self.assertEqual(table.table_status, "ACTIVE")
        return table

    def test_python_types_round_trip(self):
        table = self.table()
        item = {
            "pk": "user#1",
            "sk": "profile",
            "price": Decimal("19.99"),
            "qty": 3,
            "big": Decimal("12345678901234567890123456789012345678"),
            "tiny": Decimal("-0.000000000000000000000000000001"),
            "flag": True,
            "off": False,
            "nothing": None,
            "empty": "",
            "profile": {
                "address": {"city": "Paris", "zip": "75001"},
                "scores": [Decimal("1.1"), Decimal("-2"), {"deep": [True, None, "x"]}],
                "empty_map": {},
                "empty_list": [],
            },
            "tags": {"red", "green", "blue"},
            "blob": b"\x00\x01binary\xff",
            "blobs": {Binary(b"a"), Binary(b"\x00b")},
        }
        table.put_item(Item=item)
        got = table.get_item(Key={"pk": "user#1", "sk": "profile"}, ConsistentRead=True)["Item"]
        self.assertEqual(set(got), set(item))
        self.assertIsInstance(got["price"], Decimal)
        self.assertEqual(got["price"], Decimal("19.99"))
        self.assertIsInstance(got["qty"], Decimal)
        self.assertEqual(got["qty"], 3)
        self.assertEqual(got["big"], item["big"])
        self.assertEqual(got["tiny"], item["tiny"])
        self.assertIs(got["flag"], True)
        self.assertIs(got["off"], False)
        self.assertIsNone(got["nothing"])
        self.assertEqual(got["empty"], "")
        self.assertEqual(got["profile"], item["profile"])
        self.assertIsInstance(got["profile"]["scores"], list)
        self.assertIsInstance(got["profile"]["address"], dict)
        self.assertEqual(got["tags"], {"red", "green", "blue"})
        self.assertIsInstance(got["tags"], set)
        self.assertIsInstance(got["blob"], Binary)
        self.assertEqual(got["blob"].value, b"\x00\x01binary\xff")
        self.assertEqual({b.value for b in got["blobs"]}, {b"a", b"\x00b"})
        # The wire shapes behind them.
        raw = self.raw.get_item(TableName=table.name, Key={"pk": {"S": "user#1"}, "sk": {"S": "profile"}})["Item"]
        self.assertEqual(raw["price"], {"N": "19.99"})
        self.assertEqual(raw["nothing"], {"NULL": True})
        self.assertEqual(sorted(raw["tags"]["SS"]), ["blue", "green", "red"])
        self.assertEqual(raw["blob"], {"B": b"\x00\x01binary\xff"})
        self.assertEqual(raw["profile"]["M"]["empty_list"], {"L": []})

        # Projection of nested paths, names through #aliases.
        got = table.get_item(Key={"pk": "user#1", "sk": "profile"},
                             ProjectionExpression="#p.address.city, #p.scores[2].deep[0], price",
                             ExpressionAttributeNames={"#p": "profile"})["Item"]
        self.assertEqual(got, {"profile": {"address": {"city": "Paris"}, "scores": [{"deep": [True]}]},
                               "price": Decimal("19.99")})
        self.assertNotIn("Item", table.get_item(Key={"pk": "user#1", "sk": "nope"}))

        # Update expressions over the Python types.
        out = table.update_item(
            Key={"pk": "user#1", "sk": "profile"},
            UpdateExpression="SET #p.address.city = :c, #p.scores = list_append(#p.scores, :more), price = price - :d "
                             "REMOVE nothing, #p.empty_list ADD tags :t, qty :one DELETE blobs :gone",
            ExpressionAttributeNames={"#p": "profile"},
            ExpressionAttributeValues={":c": "Lyon", ":more": [Decimal("9")], ":d": Decimal("0.99"),
                                       ":t": {"yellow"}, ":one": 1, ":gone": {Binary(b"a")}},
            ReturnValues="ALL_NEW",
        )["Attributes"]
        self.assertEqual(out["profile"]["address"]["city"], "Lyon")
        self.assertEqual(out["profile"]["scores"], [Decimal("1.1"), Decimal("-2"), {"deep": [True, None, "x"]}, Decimal("9")])
        self.assertNotIn("empty_list", out["profile"])
        self.assertEqual(out["profile"]["empty_map"], {})
        self.assertEqual(out["price"], Decimal("19"))
        self.assertNotIn("nothing", out)
        self.assertEqual(out["tags"], {"red", "green", "blue", "yellow"})
        self.assertEqual(out["qty"], 4)
        self.assertEqual({b.value for b in out["blobs"]}, {b"\x00b"})

    def test_query_conditions_and_paging(self):
        table = self.table()
        for i in range(10):
            table.put_item(Item={"pk": "cust#1", "sk": f"order#{i:02d}", "amount": Decimal(i) + Decimal("0.5"),
                                 "state": "open" if i % 2 else "closed", "tags": {"t", f"t{i % 3}"}})
        for i in range(3):
            table.put_item(Item={"pk": "cust#2", "sk": f"order#{i:02d}", "amount": Decimal(100)})

        cond = Key("pk").eq("cust#1") & Key("sk").between("order#03", "order#07")
        res = table.query(KeyConditionExpression=cond)
        self.assertEqual([i["sk"] for i in res["Items"]], [f"order#{i:02d}" for i in range(3, 8)])
        self.assertEqual((res["Count"], res["ScannedCount"]), (5, 5))
        self.assertNotIn("LastEvaluatedKey", res)

        res = table.query(KeyConditionExpression=Key("pk").eq("cust#1") & Key("sk").begins_with("order#0"),
                          FilterExpression=Attr("amount").gte(Decimal("4.5")) & Attr("state").eq("open"),
                          ScanIndexForward=False)
        self.assertEqual([i["sk"] for i in res["Items"]], ["order#09", "order#07", "order#05"])
        self.assertEqual((res["Count"], res["ScannedCount"]), (3, 10))

        res = table.query(KeyConditionExpression=Key("pk").eq("cust#1"),
                          FilterExpression=Attr("tags").contains("t1") | Attr("amount").is_in([Decimal("0.5"), Decimal("9.5")]))
        self.assertEqual([i["sk"] for i in res["Items"]], ["order#00", "order#01", "order#04", "order#07", "order#09"])
        # The sort key belongs in the key condition, never in the filter.
        with self.assertRaises(ClientError) as e:
            table.query(KeyConditionExpression=Key("pk").eq("cust#1"), FilterExpression=Attr("sk").is_in(["order#00", "order#09"]))
        self.assertIn("Primary key attribute: sk", e.exception.response["Error"]["Message"])
        res = table.query(KeyConditionExpression=Key("pk").eq("cust#1") & Key("sk").lt("order#03"),
                          FilterExpression=Attr("missing").not_exists() & Attr("amount").exists() & ~Attr("state").eq("open"),
                          ProjectionExpression="sk, amount")
        self.assertEqual(res["Items"], [{"sk": "order#00", "amount": Decimal("0.5")},
                                        {"sk": "order#02", "amount": Decimal("2.5")}])
        res = table.query(KeyConditionExpression=Key("pk").eq("cust#1"), FilterExpression=Attr("tags").size().eq(2))
        self.assertEqual(res["Count"], 10)

        # Paging: Limit counts items read (before the filter); the last
        # page has no LastEvaluatedKey.
        pages, seen, kw = [], [], {}
        while True:
            res = table.query(KeyConditionExpression=cond, Limit=2, **kw)
            pages.append(len(res["Items"]))
            seen += [i["sk"] for i in res["Items"]]
            if "LastEvaluatedKey" not in res:
                break
            self.assertEqual(res["LastEvaluatedKey"], {"pk": "cust#1", "sk": res["Items"][-1]["sk"]})
            kw = {"ExclusiveStartKey": res["LastEvaluatedKey"]}
        self.assertEqual(pages, [2, 2, 1])
        self.assertEqual(seen, [f"order#{i:02d}" for i in range(3, 8)])

        seen, kw, scanned = [], {}, 0
        while True:
            res = table.query(KeyConditionExpression=Key("pk").eq("cust#1"), FilterExpression=Attr("state").eq("open"),
                              Limit=3, ScanIndexForward=False, **kw)
            self.assertLessEqual(res["ScannedCount"], 3)
            scanned += res["ScannedCount"]
            seen += [i["sk"] for i in res["Items"]]
            if "LastEvaluatedKey" not in res:
                break
            kw = {"ExclusiveStartKey": res["LastEvaluatedKey"]}
        self.assertEqual(seen, ["order#09", "order#07", "order#05", "order#03", "order#01"])
        self.assertEqual(scanned, 10)

        # The client's paginator follows LastEvaluatedKey the same way.
        paginator = self.raw.get_paginator("query")
        items = [i for page in paginator.paginate(TableName=table.name, KeyConditionExpression="pk = :p",
                                                  ExpressionAttributeValues={":p": {"S": "cust#2"}},
                                                  PaginationConfig={"PageSize": 1})
                 for i in page["Items"]]
        self.assertEqual([i["sk"]["S"] for i in items], ["order#00", "order#01", "order#02"])

        # Key conditions are checked against the schema.
        with self.assertRaises(ClientError) as e:
            table.query(KeyConditionExpression=Key("sk").eq("order#01"))
        self.assertEqual(code(e), "ValidationException")
        with self.assertRaises(ClientError) as e:
            table.query(KeyConditionExpression=Key("pk").eq(1))
        self.assertEqual(code(e), "ValidationException")

    def test_conditional_update(self):
        table = self.table(range_key=None)
        table.put_item(Item={"pk": "acct", "balance": Decimal("10.00"), "version": 1})
        failed = self.client.exceptions.ConditionalCheckFailedException
        with self.assertRaises(failed) as e:
            table.update_item(Key={"pk": "acct"}, UpdateExpression="SET balance = balance - :amt, version = version + :one",
                              ConditionExpression=Attr("version").eq(2) & Attr("balance").gte(Decimal("2.50")),
                              ExpressionAttributeValues={":amt": Decimal("2.50"), ":one": 1})
        self.assertEqual(code(e), "ConditionalCheckFailedException")
        self.assertEqual(table.get_item(Key={"pk": "acct"})["Item"], {"pk": "acct", "balance": Decimal("10"), "version": 1})

        out = table.update_item(Key={"pk": "acct"}, UpdateExpression="SET balance = balance - :amt, version = version + :one",
                                ConditionExpression=Attr("version").eq(1) & Attr("balance").gte(Decimal("2.50")),
                                ExpressionAttributeValues={":amt": Decimal("2.50"), ":one": 1},
                                ReturnValues="UPDATED_OLD")
        self.assertEqual(out["Attributes"], {"balance": Decimal("10"), "version": 1})
        self.assertEqual(table.get_item(Key={"pk": "acct"})["Item"], {"pk": "acct", "balance": Decimal("7.5"), "version": 2})

        # Conditional puts: create-only, and on a missing item.
        with self.assertRaises(failed):
            table.put_item(Item={"pk": "acct", "balance": Decimal(0)}, ConditionExpression=Attr("pk").not_exists())
        table.put_item(Item={"pk": "new", "balance": Decimal(0)}, ConditionExpression=Attr("pk").not_exists())
        # An update whose condition needs the item does not create it.
        with self.assertRaises(failed):
            table.update_item(Key={"pk": "ghost"}, UpdateExpression="SET balance = :b",
                              ConditionExpression=Attr("pk").exists(), ExpressionAttributeValues={":b": 1})
        self.assertNotIn("Item", table.get_item(Key={"pk": "ghost"}))
        # A string comparison with a number is false, not an error.
        with self.assertRaises(failed):
            table.delete_item(Key={"pk": "acct"}, ConditionExpression=Attr("balance").gt("1"))

    def test_number_sets(self):
        table = self.table()
        table.put_item(Item={"pk": "ns", "sk": "1", "ratios": {Decimal("0.5"), Decimal("2"), Decimal("-3.25")}})
        got = table.get_item(Key={"pk": "ns", "sk": "1"})["Item"]
        self.assertEqual(got["ratios"], {Decimal("0.5"), Decimal("2"), Decimal("-3.25")})
        out = table.update_item(Key={"pk": "ns", "sk": "1"}, UpdateExpression="ADD ratios :add",
                                ExpressionAttributeValues={":add": {Decimal("7"), Decimal("2.0")}}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out["Attributes"], {"ratios": {Decimal("0.5"), Decimal("2"), Decimal("-3.25"), Decimal("7")}})
        out = table.update_item(Key={"pk": "ns", "sk": "1"}, UpdateExpression="DELETE ratios :gone",
                                ExpressionAttributeValues={":gone": {Decimal("2"), Decimal("0.50")}}, ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"]["ratios"], {Decimal("-3.25"), Decimal("7")})
        res = table.query(KeyConditionExpression=Key("pk").eq("ns"), FilterExpression=Attr("ratios").contains(Decimal("7")))
        self.assertEqual(res["Count"], 1)

    def test_empty_results(self):
        # Query and Scan return "Items": [] when nothing matches.
        table = self.table()
        table.put_item(Item={"pk": "a", "sk": "1"})
        res = table.query(KeyConditionExpression=Key("pk").eq("nobody"))
        self.assertEqual((res["Items"], res["Count"], res["ScannedCount"]), ([], 0, 0))
        res = table.query(KeyConditionExpression=Key("pk").eq("a"), FilterExpression=Attr("x").exists())
        self.assertEqual((res["Items"], res["Count"], res["ScannedCount"]), ([], 0, 1))
        res = table.scan(FilterExpression=Attr("x").exists())
        self.assertEqual((res["Items"], res["Count"], res["ScannedCount"]), ([], 0, 1))

    def test_delete_item_return_values(self):
        table = self.table()
        table.put_item(Item={"pk": "a", "sk": "1", "note": "keep me", "n": Decimal("1.25"), "s": {"x"}})
        out = table.delete_item(Key={"pk": "a", "sk": "1"}, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"], {"pk": "a", "sk": "1", "note": "keep me", "n": Decimal("1.25"), "s": {"x"}})
        self.assertNotIn("Item", table.get_item(Key={"pk": "a", "sk": "1"}))
        # Deleting what is not there succeeds and returns nothing.
        out = table.delete_item(Key={"pk": "a", "sk": "1"}, ReturnValues="ALL_OLD")
        self.assertNotIn("Attributes", out)
        # put_item's ALL_OLD is the item it replaced.
        table.put_item(Item={"pk": "b", "sk": "1", "v": 1})
        out = table.put_item(Item={"pk": "b", "sk": "1", "v": 2}, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"], {"pk": "b", "sk": "1", "v": 1})
        with self.assertRaises(ClientError) as e:
            table.delete_item(Key={"pk": "b", "sk": "1"}, ReturnValues="ALL_NEW")
        self.assertEqual(code(e), "ValidationException")

    def test_update_return_values_of_nested_paths(self):
        # UPDATED_OLD and UPDATED_NEW return what the update wrote, inside
        # the attributes that hold it: not the whole top-level attribute.
        table = self.table(range_key=None)
        table.put_item(Item={"pk": "doc", "m": {"x": "old", "y": "kept"}, "l": [1, 2, 3], "other": "untouched",
                             "o": [0, 1, 2, 3], "docs": [{"a": "a0", "b": "b0", "c": "c0"}]})

        def update(expression, returning, values=None):
            extra = {"ExpressionAttributeValues": values} if values else {}
            return table.update_item(Key={"pk": "doc"}, UpdateExpression=expression, ReturnValues=returning, **extra).get("Attributes")

        self.assertEqual(update("SET m.x = :v", "UPDATED_OLD", {":v": "new"}), {"m": {"x": "old"}})
        self.assertEqual(update("SET m.x = :v", "UPDATED_NEW", {":v": "newer"}), {"m": {"x": "newer"}})
        self.assertEqual(update("SET l[1] = :v, m.x = :w", "UPDATED_OLD", {":v": 20, ":w": "x"}), {"l": [2], "m": {"x": "newer"}})
        # A path the old item lacks is not in UPDATED_OLD; it is in UPDATED_NEW.
        self.assertIsNone(update("SET m.z = :v", "UPDATED_OLD", {":v": 1}))
        self.assertEqual(update("SET m.w = :v", "UPDATED_NEW", {":v": 2}), {"m": {"w": 2}})
        # REMOVE of a list element: the old element, and then the one that
        # moved into its place.
        self.assertEqual(update("REMOVE l[0]", "UPDATED_OLD"), {"l": [1]})
        self.assertEqual(update("REMOVE l[0]", "UPDATED_NEW"), {"l": [3]})
        self.assertEqual(update("ADD m.n :one", "UPDATED_NEW", {":one": 1}), {"m": {"n": 1}})
        # List elements come back packed in index order, whatever order the
        # expression names them in; paths through one element meet in it.
        self.assertEqual(update("SET o[2] = :a, o[1] = :b", "UPDATED_OLD", {":a": 20, ":b": 10}), {"o": [1, 2]})
        self.assertEqual(update("SET o[3] = :a REMOVE o[0]", "UPDATED_OLD", {":a": 30}), {"o": [0, 3]})
        self.assertEqual(update("SET docs[0].a = :a, docs[0].b = :b", "UPDATED_NEW", {":a": "A", ":b": "B"}), {"docs": [{"a": "A", "b": "B"}]})
        self.assertEqual(table.get_item(Key={"pk": "doc"}, ProjectionExpression="o[2], o[0], docs[0].c, docs[0].a")["Item"],
                         {"o": [10, 30], "docs": [{"a": "A", "c": "c0"}]})
        item = table.get_item(Key={"pk": "doc"})["Item"]
        self.assertEqual(item["m"], {"x": "x", "y": "kept", "z": 1, "w": 2, "n": 1})
        self.assertEqual((item["l"], item["o"], item["other"]), ([3], [10, 20, 30], "untouched"))

    def test_transaction_cancellation_returns_the_item(self):
        # ReturnValuesOnConditionCheckFailure ALL_OLD on a transaction's
        # action puts the item in that action's cancellation reason.
        table = self.table(range_key=None)
        table.put_item(Item={"pk": "a", "v": 1})
        with self.assertRaises(self.raw.exceptions.TransactionCanceledException) as e:
            self.raw.transact_write_items(TransactItems=[
                {"ConditionCheck": {"TableName": table.name, "Key": {"pk": {"S": "a"}}, "ConditionExpression": "v = :two",
                                    "ExpressionAttributeValues": {":two": {"N": "2"}}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
                {"Put": {"TableName": table.name, "Item": {"pk": {"S": "b"}}, "ConditionExpression": "attribute_exists(pk)",
                         "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            ])
        reasons = e.exception.response["CancellationReasons"]
        self.assertEqual(reasons[0], {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                                      "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}})
        self.assertNotIn("Item", reasons[1])  # b does not exist
        with self.assertRaises(ClientError) as e:
            table.put_item(Item={"pk": "a"}, ConditionExpression="attribute_exists(pk)", ReturnValuesOnConditionCheckFailure="UPDATED_OLD")
        self.assertEqual(code(e), "ValidationException")
        # An update the item it finds makes invalid cancels the transaction too, with its reason.
        with self.assertRaises(self.raw.exceptions.TransactionCanceledException) as e:
            self.raw.transact_write_items(TransactItems=[
                {"Put": {"TableName": table.name, "Item": {"pk": {"S": "c"}}}},
                {"Update": {"TableName": table.name, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET w = nothere + :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
            ])
        self.assertEqual(e.exception.response["CancellationReasons"], [
            {"Code": "None"},
            {"Code": "ValidationError", "Message": "The provided expression refers to an attribute that does not exist in the item"}])
        self.assertEqual(e.exception.response["Error"]["Message"],
                         "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]")
        self.assertNotIn("Item", table.get_item(Key={"pk": "c"}))

    def test_parallel_scan(self):
        table = self.table()
        expected = set()
        for p in range(40):  # put_item one by one: BatchWriteItem is not served yet
            for s in range(2):
                table.put_item(Item={"pk": f"p{p:03d}", "sk": f"s{s}", "n": p * 2 + s})
                expected.add((f"p{p:03d}", f"s{s}"))

        total = 4
        seen, per_segment = [], []
        for segment in range(total):
            kw, got = {}, []
            while True:
                res = table.scan(Segment=segment, TotalSegments=total, Limit=7, **kw)
                self.assertLessEqual(res["ScannedCount"], 7)
                got += [(i["pk"], i["sk"]) for i in res["Items"]]
                if "LastEvaluatedKey" not in res:
                    break
                kw = {"ExclusiveStartKey": res["LastEvaluatedKey"]}
            per_segment.append(got)
            seen += got
        self.assertEqual(len(seen), len(expected), "every item exactly once")
        self.assertEqual(set(seen), expected)
        # A partition's items all fall in one segment.
        for got in per_segment:
            for pk in {p for p, _ in got}:
                self.assertEqual(sorted(s for p, s in got if p == pk), ["s0", "s1"])

        # A filtered full scan, and COUNT.
        res = table.scan(FilterExpression=Attr("n").between(10, 19))
        self.assertEqual(sorted(int(i["n"]) for i in res["Items"]), list(range(10, 20)))
        self.assertEqual((res["Count"], res["ScannedCount"]), (10, 80))
        res = table.scan(Select="COUNT")
        self.assertEqual(res["Count"], 80)

        with self.assertRaises(ClientError) as e:
            table.scan(Segment=4, TotalSegments=4)
        self.assertEqual(code(e), "ValidationException")
        with self.assertRaises(ClientError) as e:
            table.scan(Segment=0)
        self.assertEqual(code(e), "ValidationException")

    def test_errors(self):
        table = self.table(range_key=None)
        with self.assertRaises(ClientError) as e:
            table.put_item(Item={"other": "x"})
        self.assertEqual(code(e), "ValidationException")
        self.assertIn("Missing the key pk", message(e))
        with self.assertRaises(ClientError) as e:
            table.update_item(Key={"pk": "a"}, UpdateExpression="SET name = :n", ExpressionAttributeValues={":n": "x"})
        self.assertIn("reserved keyword", message(e))
        with self.assertRaises(ClientError) as e:
            table.update_item(Key={"pk": "a"}, UpdateExpression="SET pk = :n", ExpressionAttributeValues={":n": "b"})
        self.assertIn("Cannot update attribute pk", message(e))
        with self.assertRaises(ClientError) as e:
            table.put_item(Item={"pk": "a", "n": Decimal(1)}, ConditionExpression="attribute_not_exists(pk)",
                           ExpressionAttributeValues={":unused": 1})
        self.assertIn("unused in expressions", message(e))

        missing = self.db.Table(harness.unique("missing"))
        with self.assertRaises(ClientError) as e:
            missing.load()
        self.assertEqual(code(e), "ResourceNotFoundException")
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            missing.get_item(Key={"pk": "a"})
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            missing.put_item(Item={"pk": "a"})

        table.delete()
        table.wait_until_not_exists()
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            table.get_item(Key={"pk": "a"})


class DynamoDBCliTest(unittest.TestCase):
    def ddb(self, *args):
        return json.loads(harness.aws("dynamodb", *args).stdout or "{}")

    def test_cli(self):
        name = harness.unique("cli")
        desc = self.ddb("create-table", "--table-name", name,
                        "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                        "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                        "--billing-mode", "PAY_PER_REQUEST",
                        "--sse-specification", "Enabled=true,SSEType=KMS,KMSMasterKeyId=alias/pipeline")["TableDescription"]
        self.assertEqual(desc["TableName"], name)
        self.assertEqual(desc["SSEDescription"]["KMSMasterKeyArn"].split(":", 5)[5], "alias/pipeline")
        self.assertEqual(desc["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        harness.aws("dynamodb", "wait", "table-exists", "--table-name", name)

        item = {"pk": {"S": "cli"}, "sk": {"N": "1"}, "amount": {"N": "19.990"},
                "tags": {"SS": ["a", "b"]}, "meta": {"M": {"ok": {"BOOL": True}, "list": {"L": [{"N": "1"}, {"NULL": True}]}}}}
        self.assertEqual(self.ddb("put-item", "--table-name", name, "--item", json.dumps(item)), {})
        self.ddb("put-item", "--table-name", name, "--item", '{"pk": {"S": "cli"}, "sk": {"N": "2"}, "amount": {"N": "0.01"}}')

        got = self.ddb("get-item", "--table-name", name, "--key", '{"pk": {"S": "cli"}, "sk": {"N": "1"}}')["Item"]
        self.assertEqual(got["amount"], {"N": "19.99"})
        self.assertEqual(sorted(got["tags"]["SS"]), ["a", "b"])
        self.assertEqual(got["meta"], item["meta"])

        out = self.ddb("update-item", "--table-name", name, "--key", '{"pk": {"S": "cli"}, "sk": {"N": "1"}}',
                       "--update-expression", "ADD amount :v", "--expression-attribute-values", '{":v": {"N": "0.01"}}',
                       "--return-values", "UPDATED_NEW")
        self.assertEqual(out["Attributes"], {"amount": {"N": "20"}})

        res = self.ddb("query", "--table-name", name, "--key-condition-expression", "pk = :p",
                       "--expression-attribute-values", '{":p": {"S": "cli"}}')
        self.assertEqual([i["sk"]["N"] for i in res["Items"]], ["1", "2"])
        self.assertEqual(res["Count"], 2)

        tables = self.ddb("list-tables")["TableNames"]
        self.assertIn(name, tables)
        self.assertEqual(tables, sorted(tables))

        proc = harness.aws("dynamodb", "get-item", "--table-name", harness.unique("missing"),
                           "--key", '{"pk": {"S": "x"}}', check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("ResourceNotFoundException", proc.stderr)

        self.ddb("delete-table", "--table-name", name)
        harness.aws("dynamodb", "wait", "table-not-exists", "--table-name", name)
        self.assertNotIn(name, self.ddb("list-tables")["TableNames"])


class DynamoDBGlobalTableTest(unittest.TestCase):
    def test_replica(self):
        """A replica made with the CLI (update-table --replica-updates), then
        used with boto3 from both regions."""
        east, west = harness.client("dynamodb"), harness.client("dynamodb", region="ap-southeast-2")
        name = harness.unique("global")
        east.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        east.put_item(TableName=name, Item={"pk": {"S": "first"}, "n": {"N": "1"}})
        out = json.loads(harness.aws("dynamodb", "update-table", "--table-name", name,
                                     "--replica-updates", "Create={RegionName=ap-southeast-2}").stdout)
        self.assertEqual(out["TableDescription"]["Replicas"], [{"RegionName": "ap-southeast-2", "ReplicaStatus": "CREATING"}])
        west.get_waiter("table_exists").wait(TableName=name)
        self.assertEqual(west.get_item(TableName=name, Key={"pk": {"S": "first"}})["Item"]["n"], {"N": "1"})
        west.update_item(TableName=name, Key={"pk": {"S": "first"}}, UpdateExpression="ADD n :one",
                         ExpressionAttributeValues={":one": {"N": "0.5"}})
        self.assertEqual(east.get_item(TableName=name, Key={"pk": {"S": "first"}})["Item"]["n"], {"N": "1.5"})
        desc = east.describe_table(TableName=name)["Table"]
        self.assertEqual((desc["GlobalTableVersion"], desc["Replicas"]),
                         ("2019.11.21", [{"RegionName": "ap-southeast-2", "ReplicaStatus": "ACTIVE"}]))
        self.assertEqual(desc["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        with self.assertRaises(east.exceptions.ClientError) as err:
            east.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": "us-east-1"}}])
        self.assertIn("Cannot add, delete, or update the local region", str(err.exception))

        # Each member's own class, through an Update; its own key, once the
        # table is encrypted (turned on through one member, on for both).
        east.update_table(TableName=name, ReplicaUpdates=[{"Update": {"RegionName": "ap-southeast-2",
                                                                      "TableClassOverride": "STANDARD_INFREQUENT_ACCESS"}}])
        self.assertEqual(west.describe_table(TableName=name)["Table"]["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")
        self.assertNotIn("TableClassSummary", east.describe_table(TableName=name)["Table"])
        west.update_table(TableName=name, SSESpecification={"Enabled": True})
        self.assertEqual(east.describe_table(TableName=name)["Table"]["SSEDescription"]["KMSMasterKeyArn"],
                         "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb")
        # One member under a customer's key and one under the account's
        # would mix the kinds; both members' keys change in one request.
        with self.assertRaisesRegex(east.exceptions.ClientError, "All replica keys must either be Customer Managed CMK or AWS Managed CMK"):
            east.update_table(TableName=name, ReplicaUpdates=[{"Update": {"RegionName": "ap-southeast-2", "KMSMasterKeyId": "key-2"}}])
        out = json.loads(harness.aws("dynamodb", "update-table", "--table-name", name, "--replica-updates",
                                     "Update={RegionName=ap-southeast-2,KMSMasterKeyId=key-2}",
                                     "Update={RegionName=us-east-1,KMSMasterKeyId=key-1}").stdout)
        self.assertEqual(out["TableDescription"]["Replicas"][0]["ReplicaStatus"], "UPDATING")
        self.assertEqual(out["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"], "arn:aws:kms:us-east-1:000000000000:key/key-1")
        replica = east.describe_table(TableName=name)["Table"]["Replicas"][0]
        self.assertEqual((replica["KMSMasterKeyId"], replica["ReplicaTableClassSummary"]["TableClass"]),
                         ("arn:aws:kms:ap-southeast-2:000000000000:key/key-2", "STANDARD_INFREQUENT_ACCESS"))
        self.assertEqual(west.get_item(TableName=name, Key={"pk": {"S": "first"}})["Item"]["n"], {"N": "1.5"})

        east.update_table(TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": "ap-southeast-2"}}])
        with self.assertRaises(west.exceptions.ResourceNotFoundException):
            west.describe_table(TableName=name)
        self.assertNotIn("Replicas", east.describe_table(TableName=name)["Table"])
        east.delete_table(TableName=name)


class DynamoDBStreamsTest(unittest.TestCase):
    """A change-data-capture consumer: describe the stream, read its shard
    from TRIM_HORIZON, and get every change with its images."""

    def test_change_capture(self):
        ddb, streams = harness.client("dynamodb"), harness.client("dynamodbstreams")
        name = harness.unique("cdc")
        desc = ddb.create_table(TableName=name, **schema(("pk", "S")), BillingMode="PAY_PER_REQUEST",
                                StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})["TableDescription"]
        arn = desc["LatestStreamArn"]
        self.assertEqual(desc["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        ddb.put_item(TableName=name, Item={"pk": {"S": "o-1"}, "amount": {"N": "10.50"}})
        ddb.update_item(TableName=name, Key={"pk": {"S": "o-1"}}, UpdateExpression="ADD amount :v",
                        ExpressionAttributeValues={":v": {"N": "0.25"}})
        ddb.delete_item(TableName=name, Key={"pk": {"S": "o-1"}})

        listed = streams.list_streams(TableName=name)["Streams"]
        self.assertEqual([s["StreamArn"] for s in listed], [arn])
        shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(shards["StreamStatus"], "ENABLED")
        self.assertEqual(shards["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}])
        shard = shards["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out = streams.get_records(ShardIterator=it)
        got = [(r["eventName"], r["dynamodb"].get("OldImage", {}).get("amount"), r["dynamodb"].get("NewImage", {}).get("amount"))
               for r in out["Records"]]
        self.assertEqual(got, [("INSERT", None, {"N": "10.5"}),
                               ("MODIFY", {"N": "10.5"}, {"N": "10.75"}),
                               ("REMOVE", {"N": "10.75"}, None)])
        self.assertTrue(all(r["eventSource"] == "aws:dynamodb" and r["awsRegion"] == "us-east-1" for r in out["Records"]))
        self.assertIn("NextShardIterator", out)
        self.assertEqual(streams.get_records(ShardIterator=out["NextShardIterator"])["Records"], [])

        with self.assertRaises(ClientError) as err:
            streams.get_records(ShardIterator="bm90IGFuIGl0ZXJhdG9yIGF0IGFsbA==")
        self.assertEqual(code(err), "ValidationException")
        with self.assertRaises(ClientError) as err:
            streams.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000000-00000000", ShardIteratorType="LATEST")
        self.assertEqual(code(err), "ResourceNotFoundException")

        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
        self.assertEqual(streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"], "DISABLED")
        cli = json.loads(harness.aws("dynamodbstreams", "describe-stream", "--stream-arn", arn).stdout)
        self.assertEqual(cli["StreamDescription"]["TableName"], name)


class DynamoDBKinesisDestinationTest(unittest.TestCase):
    """Change data capture into Kinesis Data Streams: enable the table's
    destination with the AWS CLI, write with boto3, and read the changes
    from the Kinesis stream as a consumer (or Firehose) reads them."""

    def test_changes_reach_kinesis(self):
        ddb, kinesis = harness.client("dynamodb"), harness.client("kinesis")
        stream, name = harness.unique("cdc-stream"), harness.unique("cdc-kds")
        kinesis.create_stream(StreamName=stream, ShardCount=1)
        kinesis.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        stream_arn = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
        ddb.create_table(TableName=name, **schema(("pk", "S")), BillingMode="PAY_PER_REQUEST")

        out = json.loads(harness.aws("dynamodb", "enable-kinesis-streaming-destination", "--table-name", name,
                                     "--stream-arn", stream_arn).stdout)
        self.assertEqual(out["DestinationStatus"], "ENABLING")
        dests = ddb.describe_kinesis_streaming_destination(TableName=name)["KinesisDataStreamDestinations"]
        self.assertEqual([(d["StreamArn"], d["DestinationStatus"]) for d in dests], [(stream_arn, "ACTIVE")])

        ddb.put_item(TableName=name, Item={"pk": {"S": "o-1"}, "amount": {"N": "10.50"}})
        ddb.update_item(TableName=name, Key={"pk": {"S": "o-1"}}, UpdateExpression="ADD amount :v",
                        ExpressionAttributeValues={":v": {"N": "0.25"}})
        ddb.delete_item(TableName=name, Key={"pk": {"S": "o-1"}})

        shard = kinesis.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
        it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records, deadline = [], time.time() + 30
        while len(records) < 3 and time.time() < deadline:
            page = kinesis.get_records(ShardIterator=it)
            records += page["Records"]
            it = page["NextShardIterator"]
            if len(records) < 3:
                time.sleep(0.05)
        changes = [json.loads(r["Data"]) for r in records]
        got = [(c["eventName"], c["dynamodb"].get("OldImage", {}).get("amount"), c["dynamodb"].get("NewImage", {}).get("amount"))
               for c in changes]
        self.assertEqual(got, [("INSERT", None, {"N": "10.5"}),
                               ("MODIFY", {"N": "10.5"}, {"N": "10.75"}),
                               ("REMOVE", {"N": "10.75"}, None)])
        for c in changes:
            self.assertEqual((c["tableName"], c["recordFormat"], c["eventSource"], c["userIdentity"]),
                             (name, "application/json", "aws:dynamodb", None))
            self.assertEqual(c["dynamodb"]["Keys"], {"pk": {"S": "o-1"}})
            self.assertEqual(len(str(c["dynamodb"]["ApproximateCreationDateTime"])), 13)  # milliseconds
        self.assertEqual(len({r["PartitionKey"] for r in records}), 1)

        with self.assertRaises(ClientError) as err:
            ddb.enable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
        self.assertEqual(code(err), "ValidationException")
        out = ddb.disable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
        self.assertEqual(out["DestinationStatus"], "DISABLING")
        dests = ddb.describe_kinesis_streaming_destination(TableName=name)["KinesisDataStreamDestinations"]
        self.assertEqual(dests[0]["DestinationStatus"], "DISABLED")


class DynamoDBPartiQLTest(unittest.TestCase):
    """PartiQL through boto3 and the AWS CLI, as the DynamoDB console's
    query editor and scripts write it."""

    def test_statements(self):
        ddb = harness.client("dynamodb")
        name = harness.unique("pq")
        ddb.create_table(TableName=name, **schema(("pk", "S"), ("sk", "N")), BillingMode="PAY_PER_REQUEST")
        for i in range(3):
            ddb.execute_statement(Statement=f'INSERT INTO "{name}" VALUE {{\'pk\': ?, \'sk\': ?, \'amount\': ?}}',
                                  Parameters=[{"S": "p"}, {"N": str(i)}, {"N": "19.990"}])
        with self.assertRaises(ClientError) as err:
            ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'p', 'sk': 0}}")
        self.assertEqual(code(err), "DuplicateItemException")
        got = ddb.execute_statement(Statement=f'SELECT sk, amount FROM "{name}" WHERE pk = ? AND sk > 0', Parameters=[{"S": "p"}])
        self.assertEqual(got["Items"], [{"sk": {"N": "1"}, "amount": {"N": "19.99"}}, {"sk": {"N": "2"}, "amount": {"N": "19.99"}}])
        out = ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET amount = amount + 0.01 WHERE pk = 'p' AND sk = 2 RETURNING MODIFIED NEW *")
        self.assertEqual(out["Items"], [{"amount": {"N": "20"}}])
        with self.assertRaises(ClientError) as err:
            ddb.execute_statement(Statement=f'SELEKT * FROM "{name}"')
        self.assertEqual(code(err), "ValidationException")
        self.assertIn("Statement wasn't well formed", message(err))
        res = ddb.batch_execute_statement(Statements=[
            {"Statement": f"DELETE FROM \"{name}\" WHERE pk = 'p' AND sk = 0"},
            {"Statement": f"UPDATE \"{name}\" SET amount = 1 WHERE pk = 'nobody' AND sk = 0"},
        ])["Responses"]
        self.assertNotIn("Error", res[0])
        self.assertEqual(res[1]["Error"]["Code"], "ConditionalCheckFailed")
        cli = json.loads(harness.aws("dynamodb", "execute-statement", "--statement", f'SELECT * FROM "{name}" WHERE pk = \'p\'').stdout)
        self.assertEqual([i["sk"]["N"] for i in cli["Items"]], ["1", "2"])


class DynamoDBBackupsTest(unittest.TestCase):
    """Point-in-time recovery, a restore, an export to S3 and an import
    from it, as a data engineer scripts them: turn recovery on (the CLI),
    restore into a new table, export and read the files the way a Glue or
    Athena job does, load them into another table."""

    def test_recovery_restore_and_export(self):
        ddb, s3 = harness.client("dynamodb"), harness.client("s3")
        name, bucket = harness.unique("pitr"), harness.unique("exports")
        s3.create_bucket(Bucket=bucket)
        arn = ddb.create_table(TableName=name, **schema(("pk", "S")), BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableArn"]
        for i, amount in enumerate(["19.99", "0.01"]):
            ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "amount": {"N": amount}})
        self.assertEqual(ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
                         ["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "DISABLED")
        with self.assertRaises(ClientError) as err:
            ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket=bucket)
        self.assertEqual(code(err), "PointInTimeRecoveryUnavailableException")

        harness.aws("dynamodb", "update-continuous-backups", "--table-name", name,
                    "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true")
        pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        self.assertEqual(pitr["PointInTimeRecoveryStatus"], "ENABLED")
        self.assertEqual(pitr["RecoveryPeriodInDays"], 35)

        ddb.delete_item(TableName=name, Key={"pk": {"S": "k1"}})
        restored = harness.unique("restored")
        ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=restored,
                                           RestoreDateTime=pitr["EarliestRestorableDateTime"])
        ddb.get_waiter("table_exists").wait(TableName=restored, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        items = ddb.scan(TableName=restored)["Items"]
        self.assertEqual(sorted(i["pk"]["S"] for i in items), ["k0", "k1"])

        desc = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket=bucket, S3Prefix="ddb")["ExportDescription"]
        self.assertEqual(desc["ExportStatus"], "COMPLETED")
        self.assertEqual(desc["ItemCount"], 1)
        summary = json.loads(s3.get_object(Bucket=bucket, Key=desc["ExportManifest"])["Body"].read())
        files = s3.get_object(Bucket=bucket, Key=summary["manifestFilesS3Key"])["Body"].read().decode().splitlines()
        data = json.loads(files[0])["dataFileS3Key"]
        import gzip
        lines = gzip.decompress(s3.get_object(Bucket=bucket, Key=data)["Body"].read()).decode().splitlines()
        self.assertEqual([json.loads(line)["Item"] for line in lines], [{"amount": {"N": "19.99"}, "pk": {"S": "k0"}}])
        listed = ddb.list_exports(TableArn=arn)["ExportSummaries"]
        self.assertEqual([e["ExportArn"] for e in listed], [desc["ExportArn"]])

        # The export imported into a new table.
        copy = harness.unique("imported")
        imp = ddb.import_table(S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": data.rsplit("/", 1)[0] + "/"},
                               InputFormat="DYNAMODB_JSON", InputCompressionType="GZIP",
                               TableCreationParameters={"TableName": copy, **schema(("pk", "S")), "BillingMode": "PAY_PER_REQUEST"})
        self.assertEqual(imp["ImportTableDescription"]["ImportStatus"], "COMPLETED")
        self.assertEqual(imp["ImportTableDescription"]["ImportedItemCount"], 1)
        self.assertEqual(ddb.get_item(TableName=copy, Key={"pk": {"S": "k0"}})["Item"]["amount"], {"N": "19.99"})


if __name__ == "__main__":
    unittest.main()
