# Lakebox: `make run` starts the server, `make test` runs every test suite.

GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
PYTHON  ?= python3

.PHONY: build run test test-go test-python fuzz bench conformance clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lakebox ./cmd/lakebox

run: build
	./bin/lakebox serve

# Every suite: Go unit and end-to-end tests (with the race detector), boto3
# and the AWS CLI against a real `lakebox serve`, and the versitygw S3
# conformance tests on the allowlist.
test: test-go test-python conformance

test-go:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-python: build
	$(PYTHON) -W ignore -m unittest discover -s test/python -t test/python -v

# Run each fuzz target for FUZZTIME (default 30s).
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./internal/awsproto/sigv4 -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/awsproto/sigv4 -run '^$$' -fuzz '^FuzzVerifierParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/awsproto/sigv4 -run '^$$' -fuzz '^FuzzChunked$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/storage/blob -run '^$$' -fuzz '^FuzzPath$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/s3/s3http -run '^$$' -fuzz '^FuzzRequest$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/s3/s3http -run '^$$' -fuzz '^FuzzDecodeXML$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/s3 -run '^$$' -fuzz '^FuzzObjectRecord$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/s3 -run '^$$' -fuzz '^FuzzParseVersionID$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/glue -run '^$$' -fuzz '^FuzzParseExpr$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/glue -run '^$$' -fuzz '^FuzzCron$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/glue -run '^$$' -fuzz '^FuzzTuple$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/glue/classify -run '^$$' -fuzz '^FuzzFile$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/orc -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/orc -run '^$$' -fuzz '^FuzzIntRLEv2$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/awsproto/awsjson -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/awsproto/awsjson -run '^$$' -fuzz '^FuzzCBORToJSON$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzParseCreateTable$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzTrinoSyntax$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzDecodeRows$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzTrinoType$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzORCJSON$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzISO8601Date$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzJSONRows$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzJSONParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/athena -run '^$$' -fuzz '^FuzzJSONTopLevel$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/storage/streamlog -run '^$$' -fuzz '^FuzzRecover$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/kinesis -run '^$$' -fuzz '^FuzzParseIterator$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/kinesis/kpl -run '^$$' -fuzz '^FuzzDeaggregate$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/firehose -run '^$$' -fuzz '^FuzzPrefix$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/firehose -run '^$$' -fuzz '^FuzzChain$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/firehose -run '^$$' -fuzz '^FuzzConvert$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/hivetype -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/javatime -run '^$$' -fuzz '^FuzzCompile$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/firehose -run '^$$' -fuzz '^FuzzDecimal$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/firehose/firehosehttp -run '^$$' -fuzz '^FuzzDecodeBatch$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/dynamodb -run '^$$' -fuzz '^FuzzExpressions$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/dynamodb -run '^$$' -fuzz '^FuzzDecodeItem$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/signedtoken -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/dynamodb -run '^$$' -fuzz '^FuzzPartiQL$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/awsproto/eventstream -run '^$$' -fuzz '^FuzzReadMessage$$' -fuzztime $(FUZZTIME)

# Side-by-side benchmarks with the peers; see docs/benchmarks.md.
bench: build
	$(GO) run ./bench/s3bench $(BENCHFLAGS)
	$(GO) run ./bench/lifecyclebench $(LIFECYCLEFLAGS)
	$(GO) run ./bench/gluebench $(GLUEFLAGS)
	$(GO) run ./bench/athenabench $(ATHENAFLAGS)
	$(GO) run ./bench/tpchbench $(TPCHFLAGS)
	$(GO) run ./bench/kinesisbench $(KINESISFLAGS)
	$(GO) run ./bench/firehosebench $(FIREHOSEFLAGS)
	$(GO) run ./bench/dynamodbbench $(DYNAMODBFLAGS)

# versitygw's S3 conformance tests against the allowlist; see test/conformance.
conformance: build
	test/conformance/run.sh

clean:
	rm -rf bin
