// Command lakebox serves the AWS data services a lake is built from on one
// port, with real storage and real execution.
//
//	lakebox [serve] [flags]       run the server (the default)
//	lakebox clock [advance DUR]   show or advance a running server's clock
//	lakebox version               print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lakebox:", err)
		}
		os.Exit(1)
	}
}

// run dispatches to a subcommand; serve is the default.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stderr)
	case "clock":
		return clockCmd(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "lakebox", version)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

const usage = `Usage:
  lakebox [serve] [flags]        run the server (default)
  lakebox clock                  print a running server's clock
  lakebox clock advance DURATION move a running server's clock forward (e.g. 720h)
  lakebox version                print the version

Every flag can also be set as an environment variable: --data-dir is
LAKEBOX_DATA_DIR, --strict-auth is LAKEBOX_STRICT_AUTH, and so on.
Run "lakebox serve -h" for the server's flags.
`
