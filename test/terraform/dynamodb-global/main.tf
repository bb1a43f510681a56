# A global table as Terraform declares one: a replica in another region,
# with point-in-time recovery and the table's tags, and a stream (which
# DynamoDB turns on for a global table, and Terraform must then declare).
# test/python/test_terraform.py applies it against Lakebox, writes in one
# region and reads in the other, adds a global index (stage 2, made for both
# regions), encrypts the table and its replica, each under a KMS key of its
# region (stage 3), removes the replica (stage 4) and destroys the table.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "endpoint" { type = string }
variable "name" { type = string }
variable "stage" {
  type    = number
  default = 1
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  max_retries                 = 2
  endpoints {
    dynamodb = var.endpoint
    kms      = var.endpoint
  }
}

resource "aws_dynamodb_table" "events" {
  name             = var.name
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  dynamic "attribute" {
    for_each = var.stage >= 2 ? [1] : []
    content {
      name = "kind"
      type = "S"
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.stage >= 2 ? [1] : []
    content {
      name            = "by_kind"
      hash_key        = "kind"
      projection_type = "ALL"
    }
  }

  dynamic "server_side_encryption" {
    for_each = var.stage >= 3 ? [1] : []
    content {
      enabled     = true
      kms_key_arn = "arn:aws:kms:us-east-1:000000000000:key/tf-east"
    }
  }

  dynamic "replica" {
    for_each = var.stage <= 3 ? [1] : []
    content {
      region_name            = "eu-west-1"
      point_in_time_recovery = true
      propagate_tags         = true
      kms_key_arn            = var.stage >= 3 ? "arn:aws:kms:eu-west-1:000000000000:key/tf-west" : null
    }
  }

  tags = {
    team = "data"
  }
}

output "replicas" {
  value = length(aws_dynamodb_table.events.replica)
}
