// A Java JSSE TLS server standing in for a Java backend. Serves one
// connection, answers an HTTP request, exits. Single-file launcher:
//   java JavaBackend.java --listen 127.0.2.1:8443 --keystore server.p12 [--protocols TLSv1.2]
import java.io.*;
import java.net.*;
import java.security.KeyStore;
import javax.net.ssl.*;

public class JavaBackend {
    public static void main(String[] args) throws Exception {
        String listen = null, keystore = null, protocols = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen": listen = args[++i]; break;
                case "--keystore": keystore = args[++i]; break;
                case "--protocols": protocols = args[++i]; break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore)) { ks.load(in, "changeit".toCharArray()); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        String[] hp = listen.split(":");
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(Integer.parseInt(hp[1]), 1, InetAddress.getByName(hp[0]));
        if (protocols != null) server.setEnabledProtocols(protocols.split(","));
        System.out.println("JavaBackend: listening");
        try (SSLSocket s = (SSLSocket) server.accept()) {
            s.setSoTimeout(5000);
            s.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
            in.readLine();
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes());
            out.flush();
        } catch (IOException e) {
            System.out.println("JavaBackend: " + e);
        }
        server.close();
    }
}
