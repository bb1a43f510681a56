package s3

import (
	"hash"
	"sync"
)

const (
	pipeChunk   = 1 << 20 // bytes per buffer
	pipeBuffers = 4       // buffers in flight per body
)

// hashPipe hashes a large body on its own goroutine, so computing MD5 and
// the checksum overlaps reading the body from the network and writing it to
// disk. The caller takes a buffer, fills it, writes it out, then hands it
// to the pipe, which returns it once hashed.
type hashPipe struct {
	pool   *sync.Pool
	hashes []hash.Hash
	work   chan []byte
	free   chan []byte
	done   chan struct{}
	made   int
}

func newHashPipe(pool *sync.Pool, hashes ...hash.Hash) *hashPipe {
	p := &hashPipe{
		pool: pool, hashes: hashes,
		work: make(chan []byte, pipeBuffers), free: make(chan []byte, pipeBuffers), done: make(chan struct{}),
	}
	go func() {
		defer close(p.done)
		for b := range p.work {
			for _, h := range p.hashes {
				h.Write(b)
			}
			p.free <- b[:cap(b)]
		}
	}()
	return p
}

// buffer returns an empty chunk buffer, waiting for one to come back from
// hashing once pipeBuffers are in flight.
func (p *hashPipe) buffer() []byte {
	select {
	case b := <-p.free:
		return b
	default:
	}
	if p.made < pipeBuffers {
		p.made++
		return (*p.pool.Get().(*[]byte))[:pipeChunk]
	}
	return <-p.free
}

// hash queues b for hashing; the pipe owns b until it comes back.
func (p *hashPipe) hash(b []byte) { p.work <- b }

// close waits until everything queued is hashed and returns the buffers to
// the pool. Call it exactly once, before reading the hashes.
func (p *hashPipe) close() {
	close(p.work)
	<-p.done
	for range p.made {
		b := <-p.free
		p.pool.Put(&b)
	}
}
