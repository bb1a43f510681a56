// KinesisCbor drives Lakebox's Kinesis over CBOR with Jackson's CBOR
// encoder and parser, the library the AWS SDK for Java (and so the KCL)
// encodes CBOR with: maps of indefinite length, blobs as byte strings,
// timestamps as tag 1 over epoch milliseconds (as the SDK's
// SdkCborGenerator writes them). It is an independent check of the CBOR
// both ways; test/python/test_kinesis_java_cbor.py runs it:
//
//	java -cp jackson-core.jar:jackson-dataformat-cbor.jar test/java/KinesisCbor.java http://127.0.0.1:4566
//
// It signs requests with SigV4 itself (test/test, us-east-1) and exits
// non-zero with a message on the first answer that is not what AWS gives.

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class KinesisCbor {
    static final CBORFactory CBOR = new CBORFactory();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String endpoint;

    /** A tagged CBOR value, such as a timestamp (tag 1). */
    record Tagged(int tag, Object value) {}

    /** An answer: HTTP status, the error type header, the decoded body. */
    record Answer(int status, String errorType, Object body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map() { return (Map<String, Object>) body; }
    }

    /** Writes a request body the way the SDK's generator does. */
    interface Body { void write(CBORGenerator g) throws IOException; }

    public static void main(String[] args) throws Exception {
        endpoint = args[0];
        String stream = "java-cbor-" + System.nanoTime();
        long start = System.currentTimeMillis();

        check(call("CreateStream", g -> {
            str(g, "StreamName", stream);
            g.writeFieldName("ShardCount");
            g.writeNumber(1);
        }).status == 200, "CreateStream failed");

        Map<String, Object> summary = null;
        for (int i = 0; i < 100; i++) {
            Answer a = call("DescribeStreamSummary", g -> str(g, "StreamName", stream));
            check(a.status == 200, "DescribeStreamSummary: " + a);
            summary = asMap(a.map().get("StreamDescriptionSummary"));
            if ("ACTIVE".equals(summary.get("StreamStatus"))) break;
            Thread.sleep(50);
        }
        check("ACTIVE".equals(summary.get("StreamStatus")), "the stream never became ACTIVE: " + summary);
        // Timestamps are the server's clock, which tests may have moved
        // ahead of this machine's: they are checked against each other.
        long created = millis(summary.get("StreamCreationTimestamp"), "StreamCreationTimestamp");
        check(created > start - 60_000, "StreamCreationTimestamp " + created + " is before this test began (" + start + ")");

        byte[][] sent = new byte[4][];
        sent[0] = new byte[256];
        for (int i = 0; i < 256; i++) sent[0][i] = (byte) i;
        Answer put = call("PutRecord", g -> {
            str(g, "StreamName", stream);
            g.writeFieldName("Data");
            g.writeBinary(sent[0]);
            str(g, "PartitionKey", "pk-0");
        });
        check(put.status == 200, "PutRecord: " + put);
        check("shardId-000000000000".equals(put.map().get("ShardId")), "PutRecord ShardId: " + put);
        check(put.map().get("SequenceNumber") instanceof String s && s.matches("\\d{56}"), "PutRecord SequenceNumber: " + put);

        for (int i = 1; i < 4; i++) sent[i] = ("record " + i + " \u00e9\u00e8").getBytes(StandardCharsets.UTF_8);
        Answer batch = call("PutRecords", g -> {
            str(g, "StreamName", stream);
            g.writeFieldName("Records");
            g.writeStartArray();
            for (int i = 1; i < 4; i++) {
                g.writeStartObject();
                g.writeFieldName("Data");
                g.writeBinary(sent[i]);
                str(g, "PartitionKey", "pk-" + i);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
        check(batch.status == 200, "PutRecords: " + batch);
        check(((Number) batch.map().get("FailedRecordCount")).intValue() == 0, "PutRecords failed records: " + batch);
        check(((List<?>) batch.map().get("Records")).size() == 3, "PutRecords results: " + batch);

        List<Map<String, Object>> records = read(stream, g -> str(g, "ShardIteratorType", "TRIM_HORIZON"));
        check(records.size() == 4, "GetRecords from TRIM_HORIZON returned " + records.size() + " records");
        long[] arrivals = new long[4];
        for (int i = 0; i < 4; i++) {
            Map<String, Object> r = records.get(i);
            check(r.get("Data") instanceof byte[] b && Arrays.equals(b, sent[i]), "record " + i + " Data is not the bytes put: " + r);
            check(("pk-" + i).equals(r.get("PartitionKey")), "record " + i + " PartitionKey: " + r);
            arrivals[i] = millis(r.get("ApproximateArrivalTimestamp"), "ApproximateArrivalTimestamp");
            check(arrivals[i] >= created && (i == 0 || arrivals[i] >= arrivals[i - 1]),
                "record " + i + " arrival " + arrivals[i] + " is before the stream was made (" + created + ") or the record before it");
        }

        // AT_TIMESTAMP takes a tag-1 timestamp in milliseconds going in.
        long at = arrivals[3];
        List<Map<String, Object>> since = read(stream, g -> {
            str(g, "ShardIteratorType", "AT_TIMESTAMP");
            g.writeFieldName("Timestamp");
            g.writeTag(1);
            g.writeNumber(at);
        });
        check(!since.isEmpty() && since.size() <= 4, "GetRecords AT_TIMESTAMP returned " + since.size() + " records");
        check(millis(since.get(0).get("ApproximateArrivalTimestamp"), "arrival") >= at,
            "AT_TIMESTAMP returned a record that arrived before " + at);
        check(Arrays.equals((byte[]) since.get(since.size() - 1).get("Data"), sent[3]), "AT_TIMESTAMP did not end with the last record");

        // Errors are CBOR maps with __type and message, the code also in X-Amzn-ErrorType.
        Answer missing = call("DescribeStreamSummary", g -> str(g, "StreamName", "no-such-stream"));
        check(missing.status == 400, "missing stream: status " + missing.status);
        check(String.valueOf(missing.map().get("__type")).contains("ResourceNotFoundException"), "missing stream: " + missing);
        check(missing.map().get("message") instanceof String, "missing stream: no message: " + missing);
        check(missing.errorType != null && missing.errorType.contains("ResourceNotFoundException"), "missing stream: X-Amzn-ErrorType " + missing.errorType);

        check(call("DeleteStream", g -> str(g, "StreamName", stream)).status == 200, "DeleteStream failed");
        System.out.println("OK: Kinesis over CBOR with Jackson " + com.fasterxml.jackson.dataformat.cbor.PackageVersion.VERSION);
    }

    static List<Map<String, Object>> read(String stream, Body iteratorType) throws Exception {
        Answer it = call("GetShardIterator", g -> {
            str(g, "StreamName", stream);
            str(g, "ShardId", "shardId-000000000000");
            iteratorType.write(g);
        });
        check(it.status == 200, "GetShardIterator: " + it);
        String iterator = (String) it.map().get("ShardIterator");
        Answer got = call("GetRecords", g -> str(g, "ShardIterator", iterator));
        check(got.status == 200, "GetRecords: " + got);
        check(got.map().get("NextShardIterator") instanceof String, "GetRecords NextShardIterator: " + got);
        check(got.map().get("MillisBehindLatest") instanceof Number, "GetRecords MillisBehindLatest: " + got);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : (List<?>) got.map().get("Records")) out.add(asMap(r));
        return out;
    }

    static Answer call(String op, Body body) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(buf)) {
            g.writeStartObject(); // of indefinite length, as Jackson writes maps
            body.write(g);
            g.writeEndObject();
        }
        byte[] payload = buf.toByteArray();
        URI uri = URI.create(endpoint + "/");
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String target = "Kinesis_20131202." + op;
        String contentType = "application/x-amz-cbor-1.1";
        String signed = "content-type;host;x-amz-date;x-amz-target";
        String canonical = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\nx-amz-date:" + date +
            "\nx-amz-target:" + target + "\n\n" + signed + "\n" + hex(sha256(payload));
        String scope = date.substring(0, 8) + "/us-east-1/kinesis/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4test").getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
        for (String part : new String[] {"us-east-1", "kinesis", "aws4_request"}) key = hmac(key, part);
        String auth = "AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=" + signed + ", Signature=" + hex(hmac(key, toSign));
        HttpRequest req = HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType).header("X-Amz-Date", date).header("X-Amz-Target", target)
            .header("Authorization", auth)
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        HttpResponse<byte[]> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        Object decoded = null;
        if (resp.body().length > 0) {
            String ct = resp.headers().firstValue("Content-Type").orElse("");
            check(ct.equals(contentType), op + ": answered in " + ct + ", not CBOR");
            try (CBORParser p = CBOR.createParser(resp.body())) {
                p.nextToken();
                decoded = value(p);
                check(p.nextToken() == null, op + ": bytes after the CBOR value");
            }
        }
        return new Answer(resp.statusCode(), resp.headers().firstValue("X-Amzn-ErrorType").orElse(null), decoded);
    }

    /** Decodes the value at the parser's current token. */
    static Object value(CBORParser p) throws IOException {
        int tag = p.getCurrentTag();
        Object v;
        JsonToken t = p.getCurrentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.getCurrentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                v = m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p));
                v = l;
            }
            case VALUE_STRING -> v = p.getText();
            case VALUE_EMBEDDED_OBJECT -> v = p.getBinaryValue();
            case VALUE_NUMBER_INT -> v = p.getLongValue();
            case VALUE_NUMBER_FLOAT -> v = p.getDoubleValue();
            case VALUE_TRUE -> v = true;
            case VALUE_FALSE -> v = false;
            case VALUE_NULL -> v = null;
            default -> throw new IOException("unexpected CBOR token " + t);
        }
        return tag >= 0 ? new Tagged(tag, v) : v;
    }

    /** The epoch milliseconds of a timestamp, which must be tag 1 over an integer. */
    static long millis(Object v, String what) {
        check(v instanceof Tagged t && t.tag() == 1 && t.value() instanceof Long, what + " is not tag 1 over an integer: " + v);
        return (Long) ((Tagged) v).value();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object v) {
        check(v instanceof Map, "not a map: " + v);
        return (Map<String, Object>) v;
    }

    static void str(CBORGenerator g, String name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            System.err.println("FAIL: " + message);
            System.exit(1);
        }
    }

    static byte[] sha256(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
}
