# A provisioned table that turns on-demand and infrequent-access (stage 2),
# exported to S3 with aws_dynamodb_table_export, and a second table imported
# from that export with import_table (stage 2); deletion protection comes
# off in stage 3. test/python/test_terraform.py runs it.

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
  s3_use_path_style           = true
  endpoints {
    dynamodb = var.endpoint
    s3       = var.endpoint
  }
}
resource "aws_dynamodb_table" "prov" {
  name           = "${var.name}-prov"
  billing_mode   = var.stage >= 2 ? "PAY_PER_REQUEST" : "PROVISIONED"
  read_capacity  = var.stage >= 2 ? null : 5
  write_capacity = var.stage >= 2 ? null : 5
  hash_key       = "id"
  table_class    = var.stage >= 2 ? "STANDARD_INFREQUENT_ACCESS" : "STANDARD"
  # Protected until stage 3, so that destroy can delete it then.
  deletion_protection_enabled = var.stage >= 3 ? false : true
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "g"
    type = "N"
  }
  global_secondary_index {
    name            = "by_g"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = var.stage >= 2 ? null : 2
    write_capacity  = var.stage >= 2 ? null : 2
  }
  server_side_encryption {
    enabled = false
  }
  point_in_time_recovery {
    enabled = true
  }
}
resource "aws_s3_bucket" "exports" {
  bucket        = "${var.name}-exports"
  force_destroy = true
}
resource "aws_dynamodb_table_item" "a" {
  table_name = aws_dynamodb_table.prov.name
  hash_key   = "id"
  item       = jsonencode({ id = { S = "a" }, g = { N = "1" } })
}
resource "aws_dynamodb_table_export" "ex" {
  count     = var.stage >= 2 ? 1 : 0
  table_arn = aws_dynamodb_table.prov.arn
  s3_bucket = aws_s3_bucket.exports.id
  s3_prefix = "exp"
  # The export's objects sealed with SSE-S3, whatever the bucket's default.
  s3_sse_algorithm = "AES256"
  depends_on       = [aws_dynamodb_table_item.a]
}
resource "aws_dynamodb_table" "imported" {
  count        = var.stage >= 2 ? 1 : 0
  name         = "${var.name}-imported"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  import_table {
    input_format = "DYNAMODB_JSON"
    s3_bucket_source {
      bucket     = aws_s3_bucket.exports.id
      key_prefix = "exp/AWSDynamoDB/${split("/", aws_dynamodb_table_export.ex[0].id)[3]}/data/"
    }
    input_compression_type = "GZIP"
  }
}

output "export_arn" {
  value = var.stage >= 2 ? aws_dynamodb_table_export.ex[0].arn : ""
}
