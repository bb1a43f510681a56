package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lakebox/lakebox/internal/athena"
	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/dynamodb"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/s3"
)

// lake gives Glue crawlers the S3 service: they list and read objects with
// the access their account's own requests would have.
type lake struct{ s3 *s3.Service }

var _ glue.Lake = lake{}

func asAccount(ctx context.Context, account string) context.Context {
	return auth.WithIdentity(ctx, auth.Identity{Account: account, AccessKey: "glue.amazonaws.com"})
}

func (l lake) List(ctx context.Context, account, bucket, prefix string, fn func(glue.LakeObject) error) error {
	ctx = asAccount(ctx, account)
	in := &s3.ListObjectsInput{Bucket: bucket, Prefix: prefix, MaxKeys: 1000}
	for {
		out, err := l.s3.ListObjects(ctx, in)
		if err != nil {
			return err
		}
		for _, e := range out.Contents {
			if err := fn(glue.LakeObject{Key: e.Key, Size: e.Size, ETag: e.ETag, Modified: e.Modified}); err != nil {
				return err
			}
		}
		if !out.IsTruncated {
			return nil
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}

// smallObject is the size up to which an object is read whole when opened:
// one read instead of several ranged ones (a Parquet footer takes two).
const smallObject = 1 << 20

func (l lake) Open(ctx context.Context, account, bucket, key string) (glue.LakeFile, error) {
	ctx = asAccount(ctx, account)
	out, err := l.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		return nil, err
	}
	defer out.Close()
	f := &lakeFile{ctx: ctx, s3: l.s3, bucket: bucket, key: key, etag: out.Object.ETag, size: out.Object.Size}
	if f.size <= smallObject {
		if f.whole, err = io.ReadAll(out.Body); err != nil {
			return nil, err
		}
		f.size = int64(len(f.whole))
	}
	return f, nil
}

// lakeFile reads an object by ranged GETs, each conditional on the ETag it
// was opened at, or from memory when it is small.
type lakeFile struct {
	ctx         context.Context
	s3          *s3.Service
	bucket, key string
	etag        string
	size        int64
	whole       []byte
}

func (f *lakeFile) Size() int64  { return f.size }
func (f *lakeFile) Close() error { return nil }

func (f *lakeFile) ReadAt(p []byte, off int64) (int, error) {
	if f.whole != nil {
		return bytes.NewReader(f.whole).ReadAt(p, off)
	}
	if off >= f.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), f.size-off)
	out, err := f.s3.GetObject(f.ctx, &s3.GetObjectInput{
		Bucket: f.bucket, Key: f.key,
		Range:      fmt.Sprintf("bytes=%d-%d", off, off+n-1),
		Conditions: s3.Conditions{IfMatch: `"` + f.etag + `"`},
	})
	if err != nil {
		return 0, err
	}
	defer out.Close()
	got, err := io.ReadFull(out.Body, p[:n])
	if err == nil && n < int64(len(p)) {
		err = io.EOF
	}
	return got, err
}

// objects gives Athena the S3 service: listing, reading bodies in place
// and writing results, with the access of the query's account.
type objects struct {
	s3 *s3.Service
	// linkDir is where plaintext bodies are linked; memDir, on a
	// memory-backed file system, mirrors it for bodies stored encrypted,
	// whose plaintext must not reach the disk ("" when there is none).
	linkDir, memDir string
	// unsynced puts return before the object is durable, for a writer
	// whose next synced commit to the shared store makes it so.
	unsynced bool
}

var _ athena.Objects = objects{}

func (o objects) List(ctx context.Context, account, bucket, prefix string, fn func(key string, size int64) error) error {
	return lake{o.s3}.List(ctx, account, bucket, prefix, func(obj glue.LakeObject) error { return fn(obj.Key, obj.Size) })
}

func (o objects) Link(ctx context.Context, account, bucket, key, dir, name string) (string, int64, error) {
	ctx = asAccount(ctx, account)
	path, size, err := o.s3.LinkBody(ctx, bucket, key, dir, name)
	if !errors.Is(err, s3.ErrNotLocal) {
		return path, size, err
	}
	return o.decrypted(ctx, bucket, key, dir, name)
}

// decrypted writes the plaintext of a body stored encrypted (or
// compressed) to memDir, at the place dir has under linkDir, once per
// version of the object.
func (o objects) decrypted(ctx context.Context, bucket, key, dir, name string) (string, int64, error) {
	rel, err := filepath.Rel(o.linkDir, dir)
	if o.memDir == "" || err != nil || strings.HasPrefix(rel, "..") {
		return "", 0, errors.New("the object is stored encrypted and no memory-backed folder (/dev/shm) is available to read it without writing its plaintext to disk")
	}
	out, err := o.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		return "", 0, err
	}
	defer out.Close()
	sum := sha256.Sum256([]byte(bucket + "/" + key + "\x00" + out.Object.ETag + "\x00" + out.Object.VersionID))
	path := filepath.Join(o.memDir, rel, hex.EncodeToString(sum[:12])+"-"+name)
	if st, err := os.Stat(path); err == nil {
		return path, st.Size(), nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return "", 0, err
	}
	n, err := io.Copy(tmp, out.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", 0, err
	}
	return path, n, nil
}

// Get opens an object's body.
func (o objects) Get(ctx context.Context, account, bucket, key string) (io.ReadCloser, error) {
	out, err := o.s3.GetObject(asAccount(ctx, account), &s3.GetObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		return nil, err
	}
	return objectBody{out.Body, out}, nil
}

type objectBody struct {
	io.Reader
	out *s3.GetObjectOutput
}

func (b objectBody) Close() error { return b.out.Close() }

// ddbLake is Lakebox's S3 as DynamoDB's exports and imports use it.
type ddbLake struct{ objects }

func (l ddbLake) Put(ctx context.Context, account, bucket, key string, body []byte, w dynamodb.ObjectWrite) error {
	return l.put(ctx, account, bucket, key, body, w.ContentType, s3.SSE{Algorithm: w.SSE, KMSKeyID: w.KMSKeyID})
}

func (o objects) Put(ctx context.Context, account, bucket, key string, body []byte, contentType string) error {
	return o.put(ctx, account, bucket, key, body, contentType, s3.SSE{})
}

// put writes an object with the server-side encryption asked for (none:
// the bucket's default).
func (o objects) put(ctx context.Context, account, bucket, key string, body []byte, contentType string, sse s3.SSE) error {
	_, err := o.s3.PutObject(asAccount(ctx, account), &s3.PutObjectInput{
		Bucket: bucket, Key: key, Headers: s3.Headers{ContentType: contentType},
		Body: s3.Body{Reader: bytes.NewReader(body), Size: int64(len(body))},
		SSE:  sse, Unsynced: o.unsynced,
	})
	return err
}
