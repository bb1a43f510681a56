"""Terraform's AWS provider against the server: the configurations in
test/terraform are applied, planned again (a plan after an apply must find
nothing to change, or every `terraform apply` of a user's would), changed and
destroyed, and what they made is checked with boto3.

Terraform cannot be fetched here (only the Go, npm and Debian registries are
reachable), so the test uses the terraform on PATH and the AWS provider from a
local filesystem mirror: LAKEBOX_TF_PLUGINS, by default /opt/tf-plugins, laid
out as registry.terraform.io/hashicorp/aws/VERSION/OS_ARCH/. Without either
the test is skipped, saying why."""

import glob
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

PLUGINS = os.environ.get("LAKEBOX_TF_PLUGINS", "/opt/tf-plugins")
CONFIGS = os.path.join(harness.ROOT, "test", "terraform")


def missing():
    if shutil.which("terraform") is None:
        return "no terraform on PATH"
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    if not glob.glob(os.path.join(PLUGINS, "registry.terraform.io", "hashicorp", "aws", "*", f"{sys.platform}_{arch}")):
        return f"no AWS provider for {sys.platform}_{arch} under {PLUGINS} (set LAKEBOX_TF_PLUGINS)"
    return None


class Terraform:
    """One configuration of test/terraform in a working directory of its own."""

    def __init__(self, test, config, **variables):
        self.test = test
        self.dir = tempfile.mkdtemp(prefix="lakebox-tf-")
        test.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        shutil.copytree(os.path.join(CONFIGS, config), self.dir, dirs_exist_ok=True)
        rc = os.path.join(self.dir, "terraformrc")
        with open(rc, "w") as f:
            f.write(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{PLUGINS}"\n  }}\n}}\n')
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=rc, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1",
                        TF_DATA_DIR=os.path.join(self.dir, ".terraform"))
        for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            self.env.pop(name, None)
        self.variables = dict(variables, endpoint=harness.endpoint())
        self.destroyed = False
        self.run("init", "-input=false", "-no-color")

    def run(self, *args, codes=(0,)):
        proc = subprocess.run(["terraform", *args], cwd=self.dir, env=self.env,
                              capture_output=True, text=True, timeout=600)
        if proc.returncode not in codes:
            self.test.fail(f"terraform {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def vars(self, **override):
        return [f"-var={k}={v}" for k, v in dict(self.variables, **override).items()]

    def apply(self, **override):
        self.run("apply", "-auto-approve", "-input=false", "-no-color", *self.vars(**override))

    def assert_no_changes(self, **override):
        """A plan right after an apply finds nothing to do (exit code 0;
        2 means changes)."""
        plan = self.run("plan", "-detailed-exitcode", "-input=false", "-no-color", *self.vars(**override), codes=(0, 2))
        if plan.returncode != 0:
            self.test.fail("a plan after the apply wants changes:\n" + plan.stdout)

    def output(self, name):
        return self.run("output", "-raw", name).stdout

    def destroy(self, **override):
        self.run("destroy", "-auto-approve", "-input=false", "-no-color", *self.vars(**override))
        self.destroyed = True

    def cleanup(self, **override):
        """Destroys what a failed test left, quietly: a cleanup (run before
        the working directory, with its state, is removed)."""
        if not self.destroyed:
            subprocess.run(["terraform", "destroy", "-auto-approve", "-input=false", "-no-color", *self.vars(**override)],
                           cwd=self.dir, env=self.env, capture_output=True, timeout=600)


@unittest.skipIf(missing(), missing() or "")
class TerraformDynamoDBTest(unittest.TestCase):
    def test_table_lifecycle(self):
        ddb = harness.client("dynamodb")
        name = harness.unique("tf-orders")
        tf = Terraform(self, "dynamodb", name=name)
        self.addCleanup(tf.cleanup, stage=3)

        tf.apply(stage=1)
        tf.assert_no_changes(stage=1)
        table = ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(tf.output("arn"), table["TableArn"])
        self.assertEqual(tf.output("stream_arn"), table["LatestStreamArn"])
        self.assertEqual([i["IndexName"] for i in table["GlobalSecondaryIndexes"]], ["by_status"])
        self.assertEqual([i["IndexName"] for i in table["LocalSecondaryIndexes"]], ["by_total_local"])
        self.assertEqual(table["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        self.assertEqual(ttl, {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"})
        pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        self.assertEqual(pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED")
        self.assertEqual((table["SSEDescription"]["Status"], table["SSEDescription"]["SSEType"]), ("ENABLED", "KMS"))
        self.assertEqual(ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"], [{"Key": "team", "Value": "data"}])
        key = {"customer_id": {"S": "c-1"}, "order_date": {"S": "2026-11-24"}}
        self.assertEqual(ddb.get_item(TableName=name, Key=key)["Item"]["total"], {"N": "12.5"})

        # Stage 2: a second global index (UpdateTable with backfill), new
        # tags, the item rewritten.
        tf.apply(stage=2)
        tf.assert_no_changes(stage=2)
        self.assertEqual(tf.output("indexes"), "2")
        table = ddb.describe_table(TableName=name)["Table"]
        by_total = {i["IndexName"]: i for i in table["GlobalSecondaryIndexes"]}["by_total"]
        self.assertEqual(by_total["IndexStatus"], "ACTIVE")
        self.assertEqual(by_total["Projection"], {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]})
        self.assertEqual(by_total["ItemCount"], 1)
        tags = ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("team", "data"), ("zone", "curated")])
        hits = ddb.query(TableName=name, IndexName="by_total", KeyConditionExpression="#r = :r AND #t > :t",
                         ExpressionAttributeNames={"#r": "region", "#t": "total"},
                         ExpressionAttributeValues={":r": {"S": "eu"}, ":t": {"N": "50"}})["Items"]
        self.assertEqual([(i["total"]["N"], i["note"]["S"]) for i in hits], [("99.95", "rewritten")])

        # Stage 3: that index and its attribute gone, the stream off.
        tf.apply(stage=3)
        tf.assert_no_changes(stage=3)
        table = ddb.describe_table(TableName=name)["Table"]
        self.assertEqual([i["IndexName"] for i in table["GlobalSecondaryIndexes"]], ["by_status"])
        self.assertNotIn("region", [a["AttributeName"] for a in table["AttributeDefinitions"]])
        self.assertNotIn("StreamSpecification", table)
        self.assertEqual(tf.output("stream_enabled"), "false")

        tf.destroy(stage=3)
        with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
            ddb.describe_table(TableName=name)


@unittest.skipIf(missing(), missing() or "")
class TerraformDynamoDBGlobalTest(unittest.TestCase):
    def test_replica(self):
        east, west = harness.client("dynamodb"), harness.client("dynamodb", region="eu-west-1")
        name = harness.unique("tf-global")
        tf = Terraform(self, "dynamodb-global", name=name)
        self.addCleanup(tf.cleanup, stage=4)

        tf.apply(stage=1)
        tf.assert_no_changes(stage=1)
        self.assertEqual(tf.output("replicas"), "1")
        table = east.describe_table(TableName=name)["Table"]
        self.assertEqual(table["GlobalTableVersion"], "2019.11.21")
        self.assertEqual(table["Replicas"], [{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
        replica = west.describe_table(TableName=name)["Table"]
        self.assertEqual(replica["Replicas"], [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}])
        pitr = west.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        self.assertEqual(pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED")
        self.assertEqual(west.list_tags_of_resource(ResourceArn=replica["TableArn"])["Tags"], [{"Key": "team", "Value": "data"}])
        east.put_item(TableName=name, Item={"pk": {"S": "written-in-us-east-1"}})
        self.assertIn("Item", west.get_item(TableName=name, Key={"pk": {"S": "written-in-us-east-1"}}))

        # Stage 2: a global index, made through us-east-1, queried in eu-west-1.
        east.put_item(TableName=name, Item={"pk": {"S": "kinded"}, "kind": {"S": "click"}})
        tf.apply(stage=2)
        tf.assert_no_changes(stage=2)
        hits = west.query(TableName=name, IndexName="by_kind", KeyConditionExpression="kind = :k",
                          ExpressionAttributeValues={":k": {"S": "click"}})["Items"]
        self.assertEqual([i["pk"]["S"] for i in hits], ["kinded"])

        # Stage 3: encrypted, the table and its replica each under a key of
        # its region (the provider changes the keys of both through
        # ReplicaUpdates, then makes the replica again with its key).
        tf.apply(stage=3)
        tf.assert_no_changes(stage=3)
        table = east.describe_table(TableName=name)["Table"]
        self.assertEqual(table["SSEDescription"]["KMSMasterKeyArn"], "arn:aws:kms:us-east-1:000000000000:key/tf-east")
        self.assertEqual(table["Replicas"][0]["KMSMasterKeyId"], "arn:aws:kms:eu-west-1:000000000000:key/tf-west")
        replica = west.describe_table(TableName=name)["Table"]
        self.assertEqual(replica["SSEDescription"]["KMSMasterKeyArn"], "arn:aws:kms:eu-west-1:000000000000:key/tf-west")
        self.assertEqual(west.list_tags_of_resource(ResourceArn=replica["TableArn"])["Tags"], [{"Key": "team", "Value": "data"}])
        self.assertIn("Item", west.get_item(TableName=name, Key={"pk": {"S": "written-in-us-east-1"}}))

        # Stage 4: the replica removed; the table keeps its items.
        tf.apply(stage=4)
        tf.assert_no_changes(stage=4)
        self.assertEqual(tf.output("replicas"), "0")
        self.assertNotIn("Replicas", east.describe_table(TableName=name)["Table"])
        with self.assertRaises(west.exceptions.ResourceNotFoundException):
            west.describe_table(TableName=name)
        self.assertIn("Item", east.get_item(TableName=name, Key={"pk": {"S": "written-in-us-east-1"}}))

        tf.destroy(stage=4)
        with self.assertRaises(east.exceptions.ResourceNotFoundException):
            east.describe_table(TableName=name)


@unittest.skipIf(missing(), missing() or "")
class TerraformDynamoDBExportTest(unittest.TestCase):
    def test_provisioned_export_import(self):
        ddb = harness.client("dynamodb")
        name = harness.unique("tf")
        tf = Terraform(self, "dynamodb-export", name=name)

        def unprotect_and_destroy():
            try:
                ddb.update_table(TableName=f"{name}-prov", DeletionProtectionEnabled=False)
            except ddb.exceptions.ResourceNotFoundException:
                pass
            tf.cleanup(stage=3)
        self.addCleanup(unprotect_and_destroy)

        tf.apply(stage=1)
        tf.assert_no_changes(stage=1)
        table = ddb.describe_table(TableName=f"{name}-prov")["Table"]
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertTrue(table["DeletionProtectionEnabled"])

        # Stage 2: on demand, infrequent access; exported, and imported
        # into a new table.
        tf.apply(stage=2)
        tf.assert_no_changes(stage=2)
        table = ddb.describe_table(TableName=f"{name}-prov")["Table"]
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(table["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")
        export = ddb.describe_export(ExportArn=tf.output("export_arn"))["ExportDescription"]
        self.assertEqual((export["ExportStatus"], export["ItemCount"]), ("COMPLETED", 1))
        self.assertEqual(export["S3SseAlgorithm"], "AES256")
        item = ddb.get_item(TableName=f"{name}-imported", Key={"id": {"S": "a"}})["Item"]
        self.assertEqual(item, {"id": {"S": "a"}, "g": {"N": "1"}})

        # Deletion protection refuses DeleteTable until stage 3 lifts it.
        # (Not through terraform destroy: as against AWS, the provider
        # retries the ResourceInUseException for ten minutes.)
        with self.assertRaisesRegex(ddb.exceptions.ClientError, "ValidationException.*protected against deletion"):
            ddb.delete_table(TableName=f"{name}-prov")
        tf.apply(stage=3)
        tf.assert_no_changes(stage=3)
        self.assertFalse(ddb.describe_table(TableName=f"{name}-prov")["Table"]["DeletionProtectionEnabled"])
        tf.destroy(stage=3)
        for table in (f"{name}-prov", f"{name}-imported"):
            with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
                ddb.describe_table(TableName=table)


if __name__ == "__main__":
    unittest.main()
