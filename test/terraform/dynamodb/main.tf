# A DynamoDB table as a pipeline's Terraform would declare it: keys, a global
# and a local index, TTL, point-in-time recovery, encryption with the account's
# DynamoDB KMS key, a stream, tags and an item.
# test/python/test_terraform.py applies it against Lakebox, changes it
# (stage 2 adds an index on a new attribute, retags and rewrites the item;
# stage 3 deletes that index and attribute and turns the stream off) and
# destroys it.

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
  endpoints {
    dynamodb = var.endpoint
  }
}

resource "aws_dynamodb_table" "orders" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customer_id"
  range_key    = "order_date"

  attribute {
    name = "customer_id"
    type = "S"
  }
  attribute {
    name = "order_date"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  attribute {
    name = "total"
    type = "N"
  }
  dynamic "attribute" {
    for_each = var.stage == 2 ? [1] : []
    content {
      name = "region"
      type = "S"
    }
  }

  global_secondary_index {
    name            = "by_status"
    hash_key        = "status"
    range_key       = "order_date"
    projection_type = "ALL"
  }
  dynamic "global_secondary_index" {
    for_each = var.stage == 2 ? [1] : []
    content {
      name               = "by_total"
      hash_key           = "region"
      range_key          = "total"
      projection_type    = "INCLUDE"
      non_key_attributes = ["note"]
    }
  }
  local_secondary_index {
    name            = "by_total_local"
    range_key       = "total"
    projection_type = "KEYS_ONLY"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled = true
  }
  stream_enabled   = var.stage < 3
  stream_view_type = var.stage < 3 ? "NEW_AND_OLD_IMAGES" : null

  tags = var.stage >= 2 ? { team = "data", zone = "curated" } : { team = "data" }
}

resource "aws_dynamodb_table_item" "first" {
  table_name = aws_dynamodb_table.orders.name
  hash_key   = aws_dynamodb_table.orders.hash_key
  range_key  = aws_dynamodb_table.orders.range_key
  # DynamoDB trims numbers' trailing zeros ("12.50" reads back as "12.5"), so
  # a configuration that spells them would never match.
  item = jsonencode({
    customer_id = { S = "c-1" }
    order_date  = { S = "2026-11-24" }
    status      = { S = "open" }
    region      = { S = "eu" }
    total       = { N = var.stage >= 2 ? "99.95" : "12.5" }
    note        = { S = var.stage >= 2 ? "rewritten" : "first" }
  })
}

data "aws_dynamodb_table" "orders" {
  name       = aws_dynamodb_table.orders.name
  depends_on = [aws_dynamodb_table_item.first]
}

output "arn" { value = aws_dynamodb_table.orders.arn }
output "stream_arn" { value = aws_dynamodb_table.orders.stream_arn }
output "stream_enabled" { value = aws_dynamodb_table.orders.stream_enabled }
output "indexes" { value = length(data.aws_dynamodb_table.orders.global_secondary_index) }
