// A Java JSSE TLS client standing in for Apigee's Message Processor (the
// southbound TLS client). Run with the JDK's single-file launcher:
//   java MpClient.java --connect 127.0.2.1:8443 --host backend.example.test \
//        --bind 127.0.2.10 --truststore trust.p12 [--keystore client.p12]
//        [--protocols TLSv1.2] [--ciphers A,B] [--no-hostname-check]
//        [--trust-all] [--timeout MS] [--alpn A,B]
// --trust-all is an MP target without a truststore: any certificate is taken.
// SNI follows the JVM flag -Djsse.enableSNIExtension, exactly as on an MP.
import java.io.*;
import java.net.*;
import java.security.KeyStore;
import javax.net.ssl.*;

public class MpClient {
    public static void main(String[] args) throws Exception {
        String connect = null, host = null, bind = null, trust = null, keystore = null;
        String protocols = null, ciphers = null, alpn = null;
        boolean hostnameCheck = true, trustAll = false;
        int timeoutMs = 5000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connect": connect = args[++i]; break;
                case "--host": host = args[++i]; break;
                case "--bind": bind = args[++i]; break;
                case "--truststore": trust = args[++i]; break;
                case "--keystore": keystore = args[++i]; break;
                case "--protocols": protocols = args[++i]; break;
                case "--ciphers": ciphers = args[++i]; break;
                case "--no-hostname-check": hostnameCheck = false; break;
                case "--trust-all": trustAll = true; break;
                case "--timeout": timeoutMs = Integer.parseInt(args[++i]); break;
                case "--alpn": alpn = args[++i]; break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        String[] hp = connect.split(":");
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(keystore), trustAll ? trustEverything() : trustManagers(trust), null);

        Socket plain = new Socket();
        if (bind != null) plain.bind(new InetSocketAddress(bind, 0));
        plain.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 5000);
        plain.setSoTimeout(timeoutMs);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory()
                .createSocket(plain, host, Integer.parseInt(hp[1]), true);
        SSLParameters p = s.getSSLParameters();
        if (hostnameCheck) p.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols != null) p.setProtocols(protocols.split(","));
        if (ciphers != null) p.setCipherSuites(ciphers.split(","));
        if (alpn != null) p.setApplicationProtocols(alpn.split(","));
        s.setSSLParameters(p);
        try {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes());
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
            String line = in.readLine();
            System.out.println("MpClient: handshake ok, " + s.getSession().getProtocol() + ", first line: " + line);
            s.close();
        } catch (IOException e) {
            System.out.println("MpClient: " + e);
            s.close();
            System.exit(1);
        }
    }

    static KeyManager[] keyManagers(String path) throws Exception {
        if (path == null) return null;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path)) { ks.load(in, "changeit".toCharArray()); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        return kmf.getKeyManagers();
    }

    static TrustManager[] trustEverything() {
        return new TrustManager[] { new X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        } };
    }

    static TrustManager[] trustManagers(String path) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path)) { ts.load(in, "changeit".toCharArray()); }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }
}
