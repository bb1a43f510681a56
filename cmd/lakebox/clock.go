package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// clockCmd shows or advances the clock of a running server.
func clockCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("clock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "http://127.0.0.1:4566", "the running server")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	method, body := http.MethodGet, ""
	switch rest := fs.Args(); {
	case len(rest) == 0:
	case len(rest) == 2 && rest[0] == "advance":
		if _, err := time.ParseDuration(rest[1]); err != nil {
			return fmt.Errorf("clock advance: %w", err)
		}
		method, body = http.MethodPost, fmt.Sprintf(`{"advance":%q}`, rest[1])
	default:
		return fmt.Errorf("usage: lakebox clock [advance DURATION]")
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(*endpoint, "/")+"/_lakebox/clock", strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Now    time.Time `json:"now"`
		Offset string    `json:"offset"`
		Error  string    `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Errorf("clock: %s: %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("clock: %s", out.Error)
	}
	fmt.Fprintf(stdout, "%s (offset %s)\n", out.Now.Format(time.RFC3339), out.Offset)
	return nil
}
