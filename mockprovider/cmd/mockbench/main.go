// Command mockbench measures a mockprovider binary as a long-running
// service: its resident memory idle, after many token requests and after
// requests with huge queries, and the token endpoint's throughput next to
// a bare net/http handler driven the same way in the same run.
//
//	go build -o reports/bin/ ./mockprovider/cmd/mockprovider
//	go run ./mockprovider/cmd/mockbench --bin reports/bin/mockprovider
//
// make bench runs it. It prints figures; it asserts nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// settings are the bench's flags.
type settings struct {
	bin         string
	tokens      int
	largeReqs   int
	largeBytes  int
	concurrency int
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var s settings
	fs := flag.NewFlagSet("mockbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.bin, "bin", "", "the mockprovider binary to measure (required)")
	fs.IntVar(&s.tokens, "tokens", 100_000, "token requests to send")
	fs.IntVar(&s.largeReqs, "large", 200, "requests with a large query to send")
	fs.IntVar(&s.largeBytes, "large-bytes", 500<<10, "size of each large query")
	fs.IntVar(&s.concurrency, "c", 8, "concurrent requests")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if s.bin == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "mockbench: usage: mockbench --bin PATH [--tokens N] [--large N] [--large-bytes N] [-c N]")
		return 2
	}
	if err := bench(ctx, s, stdout); err != nil {
		fmt.Fprintln(stderr, "mockbench:", err)
		return 1
	}
	return 0
}

func bench(ctx context.Context, s settings, out io.Writer) error {
	mock, err := startMock(ctx, s.bin)
	if err != nil {
		return err
	}
	defer mock.stop()
	client := newClient(s.concurrency)
	defer client.CloseIdleConnections()

	idle, err := procfs.RSS(mock.pid())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "mockprovider service bench: %s (pid %d), %d concurrent requests, GOMAXPROCS %d\n",
		s.bin, mock.pid(), s.concurrency, runtime.GOMAXPROCS(0))
	fmt.Fprintf(out, "%-44s %8s\n", "idle RSS", mb(idle))

	bare, closeBare, err := startBare()
	if err != nil {
		return err
	}
	defer closeBare()
	tokenStats, bareStats := interleaved(ctx, client, s, tokenRequest(mock.url), tokenRequest(bare))
	afterTokens, err := procfs.RSS(mock.pid())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-44s %8s  %4.1fx idle  %s\n", fmt.Sprintf("RSS after %d token requests", s.tokens),
		mb(afterTokens), ratio(afterTokens, idle), tokenStats.statuses())

	large := load{client: client, n: s.largeReqs, concurrency: min(s.concurrency, 4), request: largeQueryRequest(mock.url, s.largeBytes)}
	largeStats := large.run(ctx)
	afterLarge, err := procfs.RSS(mock.pid())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-44s %8s  %4.1fx idle  %s\n", fmt.Sprintf("RSS after %d requests with a %d KB query", s.largeReqs, s.largeBytes>>10),
		mb(afterLarge), ratio(afterLarge, idle), largeStats.statuses())
	if err := reportLog(ctx, client, mock.url, mock.pid(), idle, out); err != nil {
		return err
	}

	fmt.Fprintf(out, "%-44s %8.0f req/s\n", "token endpoint (client_credentials, Basic)", tokenStats.perSecond())
	fmt.Fprintf(out, "%-44s %8.0f req/s  (the token endpoint runs at %.2fx)\n", "bare net/http handler, same requests",
		bareStats.perSecond(), tokenStats.perSecond()/bareStats.perSecond())
	if n := tokenStats.serverErrors() + largeStats.serverErrors(); n > 0 {
		return fmt.Errorf("%d responses were 5xx", n)
	}
	return ctx.Err()
}

// rounds is how many turns the token load and the bare handler's take:
// interleaved, a change in the machine's load weighs on both alike.
const rounds = 5

// interleaved sends s.tokens requests to each of two endpoints, in rounds
// that alternate between them, and returns the stats of each.
func interleaved(ctx context.Context, client *http.Client, s settings, a, b func(context.Context) (*http.Request, error)) (loadStats, loadStats) {
	sa, sb := loadStats{byStatus: map[int]int{}}, loadStats{byStatus: map[int]int{}}
	for i := range rounds {
		n := s.tokens / rounds
		if i == rounds-1 {
			n = s.tokens - n*(rounds-1)
		}
		sa.add(load{client: client, n: n, concurrency: s.concurrency, request: a}.run(ctx))
		sb.add(load{client: client, n: n, concurrency: s.concurrency, request: b}.run(ctx))
	}
	return sa, sb
}

// reportLog fetches the whole request log once and reports its size and
// the RSS after it.
func reportLog(ctx context.Context, client *http.Client, base string, pid int, idle int64, out io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_mock/requests", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	rss, err := procfs.RSS(pid)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-44s %8s  %4.1fx idle  (%s, body %d KB)\n", "RSS after GET /_mock/requests", mb(rss), ratio(rss, idle), resp.Status, n>>10)
	return nil
}

// startBare serves, on a loopback port of this process, a handler that
// answers every request with a fixed token response: the ceiling of what
// net/http and this client reach on this machine.
func startBare() (string, func(), error) {
	body := []byte(`{"access_token":"bare","token_type":"Bearer","expires_in":3600,"scope":"email"}` + "\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func tokenRequest(base string) func(context.Context) (*http.Request, error) {
	form := "grant_type=client_credentials"
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/oauth/token", strings.NewReader(form))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(mockprovider.SeedClientID, mockprovider.SeedClientSecret)
		return req, nil
	}
}

func largeQueryRequest(base string, size int) func(context.Context) (*http.Request, error) {
	url := base + "/oauth/authorize?response_type=code&client_id=" + mockprovider.SeedClientID + "&state=" + strings.Repeat("x", size)
	return func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	}
}

func mb(n int64) string        { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
func ratio(a, b int64) float64 { return float64(a) / float64(b) }

// freePort returns a loopback address that was free a moment ago.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// mockProcess is the mockprovider binary under measurement.
type mockProcess struct {
	cmd *exec.Cmd
	url string
}

func (m *mockProcess) pid() int { return m.cmd.Process.Pid }

// startMock starts bin on a free loopback port and waits until it answers.
func startMock(ctx context.Context, bin string) (*mockProcess, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, "--listen", addr)
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &mockProcess{cmd: cmd, url: "http://" + addr}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.url + "/.well-known/oauth-authorization-server")
		if err == nil {
			resp.Body.Close()
			// Let the runtime settle before the idle figure.
			time.Sleep(200 * time.Millisecond)
			return m, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	m.stop()
	return nil, fmt.Errorf("%s did not answer on %s within 10 s", bin, addr)
}

func (m *mockProcess) stop() {
	m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		m.cmd.Process.Kill()
		<-done
	}
}
