package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The logo benchmark (-logos BIN) measures the memory of a real `coopdir
// serve` process, started from BIN on a fresh SQLite database, while an
// admin uploads the worst logos it accepts several at once: the process's
// peak resident set (VmHWM in /proc/PID/status) against the 400 MB that
// the delivery and intake work allows.

// logoRSSLimit is the most resident memory serve may reach during the
// uploads.
const logoRSSLimit = 400_000_000

type logoConfig struct {
	bin     string // the coopdir binary
	images  string // names of logoImages, comma-separated
	uploads int    // uploads at once
	rounds  int    // times the uploads are repeated
}

func logoFlags(c *logoConfig) {
	flag.StringVar(&c.bin, "logos", "", "measure serve's memory during concurrent logo uploads with this coopdir `binary`, print a table and exit")
	flag.StringVar(&c.images, "logo-images", "rgba8-4096,rgba16-2896", "images to upload, comma-separated: "+strings.Join(logoImageNames(), ", "))
	flag.IntVar(&c.uploads, "logo-uploads", 8, "logo uploads at once")
	flag.IntVar(&c.rounds, "logo-rounds", 3, "rounds of concurrent uploads per image")
}

// logoImage is an image to upload, made on demand.
type logoImage struct {
	about string // what it is, for the table
	make  func() ([]byte, error)
}

// logoImages are the images the benchmark can upload. The first two are
// the worst that imaging accepts: 64 MiB decoded each (imaging.MaxDecodeBytes),
// the first with the most pixels allowed. The last is the 130 KB 16-bit
// logo of the issue, refused since.
var logoImages = map[string]logoImage{
	"rgba8-4096":  {"PNG 4096×4096, 8-bit RGBA", func() ([]byte, error) { return gradientPNG(4096, 4096, false) }},
	"rgba16-2896": {"PNG 2896×2896, 16-bit RGBA", func() ([]byte, error) { return gradientPNG(2896, 2896, true) }},
	"rgba16-4096": {"PNG 4096×4096, 16-bit RGBA", func() ([]byte, error) { return gradientPNG(4096, 4096, true) }},
}

func logoImageNames() []string {
	names := make([]string, 0, len(logoImages))
	for name := range logoImages {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// gradientPNG is a w×h PNG of bands of colour, compressible enough to stay
// under the 1 MiB upload limit at 4096×4096.
func gradientPNG(w, h int, deep bool) ([]byte, error) {
	var img image.Image
	if deep {
		m := image.NewNRGBA64(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				m.SetNRGBA64(x, y, color.NRGBA64{uint16(x/16) << 8, uint16(y/16) << 8, uint16((x+y)/32) << 8, 0xffff - uint16(x/64)<<8})
			}
		}
		img = m
	} else {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				m.SetNRGBA(x, y, color.NRGBA{uint8(x / 16), uint8(y / 16), uint8((x + y) / 32), 255 - uint8(x/64)})
			}
		}
		img = m
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// logoResult is one row of the table.
type logoResult struct {
	image          string
	fileBytes      int
	uploads        int
	statuses       map[int]int // answers by status, over all rounds
	idle, peak     int64       // resident bytes: after start, and the peak
	slowest, total time.Duration
}

func benchLogos(ctx context.Context, c logoConfig) error {
	dir, err := os.MkdirTemp("", "coopdir-logos-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := "sqlite:" + filepath.Join(dir, "coopdir.db")
	if err := prepareLogoDatabase(ctx, c, dir, dsn); err != nil {
		return err
	}
	var results []logoResult
	for _, name := range strings.Split(c.images, ",") {
		img, ok := logoImages[strings.TrimSpace(name)]
		if !ok {
			return fmt.Errorf("-logo-images: unknown image %q", name)
		}
		data, err := img.make()
		if err != nil {
			return err
		}
		r, err := benchLogo(ctx, c, dsn, data)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r.image = img.about
		log.Printf("logos: %s: idle %d MB, peak %d MB, answers %s", r.image, r.idle/1_000_000, r.peak/1_000_000, statusText(r.statuses))
		results = append(results, r)
	}
	printLogoTable(os.Stdout, c, results)
	return nil
}

const (
	logoAdmin    = "bench@bench.example"
	logoPassword = "bench-password-1"
)

// prepareLogoDatabase migrates the database and adds an admin and one
// enterprise per concurrent upload, with the binary's own subcommands.
func prepareLogoDatabase(ctx context.Context, c logoConfig, dir, dsn string) error {
	var ents []map[string]string
	for i := range c.uploads {
		ents = append(ents, map[string]string{"handle": fmt.Sprintf("bench%d", i), "name": fmt.Sprintf("Bench %d", i), "kind": "worker_coop"})
	}
	file := filepath.Join(dir, "enterprises.json")
	data, err := json.Marshal(ents)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"migrate", "--database", dsn},
		{"import", "--database", dsn, file},
		{"user", "add", "--email", logoAdmin, "--name", "Bench", "--role", "admin", "--password-stdin", "--database", dsn},
	} {
		cmd := exec.CommandContext(ctx, c.bin, args...)
		cmd.Stdin = strings.NewReader(logoPassword + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("coopdir %s: %w: %s", args[0], err, out)
		}
	}
	return nil
}

// benchLogo starts serve, signs in and runs the rounds of uploads of data.
func benchLogo(ctx context.Context, c logoConfig, dsn string, data []byte) (logoResult, error) {
	res := logoResult{fileBytes: len(data), uploads: c.uploads, statuses: map[int]int{}}
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, c.bin, "serve", "--listen", addr, "--database", dsn, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer stopServe(cmd)
	base := "http://" + addr
	client, err := signedIn(ctx, base)
	if err != nil {
		return res, fmt.Errorf("%w; serve said: %s", err, logs.String())
	}
	if res.idle, err = procStatus(cmd.Process.Pid, "VmRSS"); err != nil {
		return res, err
	}
	began := time.Now()
	for range c.rounds {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range c.uploads {
			wg.Go(func() {
				start := time.Now()
				status, err := uploadLogo(ctx, client, fmt.Sprintf("%s/admin/enterprises/bench%d/logo", base, i), data)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					log.Printf("logos: upload: %v", err)
					status = 0
				}
				res.statuses[status]++
				res.slowest = max(res.slowest, time.Since(start))
			})
		}
		wg.Wait()
	}
	res.total = time.Since(began)
	if res.peak, err = procStatus(cmd.Process.Pid, "VmHWM"); err != nil {
		return res, err
	}
	return res, nil
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// stopServe ends serve with SIGTERM, and kills it after 20 s.
func stopServe(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// signedIn waits for serve to answer, then signs in as the admin.
func signedIn(ctx context.Context, base string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("serve did not answer /healthz within a minute (%v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	form := url.Values{"email": {logoAdmin}, "password": {logoPassword}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in: status %d", resp.StatusCode)
	}
	return client, nil
}

// uploadLogo posts data as the logo form's file and returns the status.
func uploadLogo(ctx context.Context, client *http.Client, target string, data []byte) (int, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("logo", "logo.png")
	if err != nil {
		return 0, err
	}
	if _, err := fw.Write(data); err != nil {
		return 0, err
	}
	if err := mw.Close(); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// procStatus reads a "kB" field of /proc/PID/status, in bytes.
func procStatus(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok && name == field {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no " + field + " in /proc/" + strconv.Itoa(pid) + "/status")
}

func printLogoTable(w io.Writer, c logoConfig, results []logoResult) {
	fmt.Fprintf(w, "\nLogo uploads: %d at once, %d rounds, into a real `coopdir serve` (SQLite); peak resident memory (VmHWM) against the %d MB limit:\n\n",
		c.uploads, c.rounds, logoRSSLimit/1_000_000)
	fmt.Fprintln(w, "| image | file | answers | serve RSS idle | peak RSS | limit | slowest upload | all rounds |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---:|---:|")
	for _, r := range results {
		verdict := "under"
		if r.peak > logoRSSLimit {
			verdict = "**over**"
		}
		fmt.Fprintf(w, "| %s | %d KB | %s | %d MB | %d MB | %d MB (%s) | %.1f s | %.1f s |\n",
			r.image, r.fileBytes/1000, statusText(r.statuses), r.idle/1_000_000, r.peak/1_000_000, logoRSSLimit/1_000_000, verdict,
			r.slowest.Seconds(), r.total.Seconds())
	}
}

// statusText lists the answers, e.g. "24× 303".
func statusText(statuses map[int]int) string {
	codes := make([]int, 0, len(statuses))
	for code := range statuses {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = fmt.Sprintf("%d× %d", statuses[code], code)
	}
	return strings.Join(parts, ", ")
}
