// go_tls_server.go - a backend on Go's crypto/tls with the settings the
// scenarios vary: the ALPN protocols it requires (Go refuses a client whose
// ALPN offer shares none with no_application_protocol), the key-exchange
// groups it accepts (CurvePreferences: a client that key-shares another group
// gets a HelloRetryRequest, one that offers none of them handshake_failure)
// and its certificate (an ECDSA one for clients offering RSA signatures only).
// It answers each connection with a short HTTP response and logs each
// handshake's result on stderr, which the capture scripts keep.
//
//	go run go_tls_server.go -addr 127.0.2.1:8443 -cert chain.pem -key leaf.key \
//	    [-alpn h2] [-groups P384] [-max-version 1.2] [-n 3]
package main

import (
	"bufio"
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
)

var groupsByName = map[string]tls.CurveID{
	"X25519": tls.X25519, "P256": tls.CurveP256, "P384": tls.CurveP384, "P521": tls.CurveP521,
}

func parseGroups(list string) []tls.CurveID {
	var out []tls.CurveID
	for _, name := range strings.Split(list, ",") {
		if name == "" {
			continue
		}
		id, ok := groupsByName[name]
		if !ok {
			log.Fatalf("unknown group %q", name)
		}
		out = append(out, id)
	}
	return out
}

func serve(conn net.Conn) {
	defer conn.Close()
	t := conn.(*tls.Conn)
	if err := t.Handshake(); err != nil {
		log.Printf("handshake from %s failed: %v", conn.RemoteAddr(), err)
		return
	}
	st := t.ConnectionState()
	log.Printf("handshake from %s: version 0x%04x, ALPN %q", conn.RemoteAddr(), st.Version,
		st.NegotiatedProtocol)
	bufio.NewReader(conn).ReadString('\n')
	fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
}

func main() {
	addr := flag.String("addr", "127.0.2.1:8443", "listen address")
	cert := flag.String("cert", "", "certificate chain (PEM, leaf first)")
	key := flag.String("key", "", "private key (PEM)")
	alpn := flag.String("alpn", "", "ALPN protocols required, comma-separated")
	groups := flag.String("groups", "", "groups accepted: X25519,P256,P384,P521")
	maxVersion := flag.String("max-version", "1.3", "highest TLS version: 1.2 or 1.3")
	n := flag.Int("n", 0, "connections to serve, 0: forever")
	flag.Parse()
	pair, err := tls.LoadX509KeyPair(*cert, *key)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, CurvePreferences: parseGroups(*groups)}
	if *alpn != "" {
		cfg.NextProtos = strings.Split(*alpn, ",")
	}
	if *maxVersion == "1.2" {
		cfg.MaxVersion = tls.VersionTLS12
	}
	ln, err := tls.Listen("tcp", *addr, cfg)
	if err != nil {
		log.Fatal(err)
	}
	log.SetOutput(os.Stderr)
	for i := 0; *n == 0 || i < *n; i++ {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		serve(conn)
	}
}
