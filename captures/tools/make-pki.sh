#!/usr/bin/env bash
# Makes a fresh test PKI in directory $1 (created): a root CA, an intermediate,
# a second intermediate from another root ("wrong intermediate"), server leaves
# (right host, wrong host, expired, self-signed), client certificates (trusted
# and untrusted), plus Java PKCS12 stores. Password for every store: changeit.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"

days_valid_from=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
days_valid_to=$(date -u -d '+365 days' +%Y%m%d%H%M%SZ)

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }

# ca_init NAME: a CA directory usable by `openssl ca`.
ca_init() {
  mkdir -p "ca-$1"
  : >"ca-$1/index.txt"
  printf '1000\n' >"ca-$1/serial"
  cat >"ca-$1/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
dir = ca-$1
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
certificate = $1.pem
private_key = $1.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \$ENV::SAN
[client]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \$ENV::SAN
CNF
}

root() { # root NAME CN
  key "$1"
  openssl req -x509 -new -key "$1.key" -subj "/O=Apigee HS Lab/CN=$2" -days 3650 \
    -addext 'basicConstraints=critical,CA:true' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -out "$1.pem"
  ca_init "$1"
}

# sign CA NAME CN EXT SAN [START END]
sign() {
  local ca=$1 name=$2 cn=$3 ext=$4 san=$5 start=${6:-$days_valid_from} end=${7:-$days_valid_to}
  key "$name"
  openssl req -new -key "$name.key" -subj "/O=Apigee HS Lab/CN=$cn" -out "$name.csr"
  SAN=$san openssl ca -batch -notext -config "ca-$ca/ca.cnf" -extensions "$ext" \
    -startdate "$start" -enddate "$end" -in "$name.csr" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr"
}

root root "Apigee HS Lab Root CA"
SAN=DNS:unused sign root inter "Apigee HS Lab Intermediate CA" v3_ca DNS:unused
ca_init inter
root otherroot "Other Lab Root CA"
SAN=DNS:unused sign otherroot inter2 "Apigee HS Lab Intermediate CA" v3_ca DNS:unused
ca_init inter2

sign inter backend backend.example.test server DNS:backend.example.test
sign inter router api.example.test server DNS:api.example.test
sign inter wronghost other.example.test server DNS:other.example.test
sign inter expired backend.example.test server DNS:backend.example.test 20200101000000Z 20210101000000Z
sign inter shortlived backend.example.test server DNS:backend.example.test \
  "$(date -u -d '-1 minute' +%Y%m%d%H%M%SZ)" "$(date -u -d '+10 minutes' +%Y%m%d%H%M%SZ)"
sign inter future backend.example.test server DNS:backend.example.test \
  "$(date -u -d '+30 days' +%Y%m%d%H%M%SZ)" "$(date -u -d '+400 days' +%Y%m%d%H%M%SZ)"
# A weak leaf: RSA 1024, signed with SHA-1, as old backends still have.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out weak.key 2>/dev/null
openssl req -new -key weak.key -subj "/CN=backend.example.test" -out weak.csr
SAN=DNS:backend.example.test openssl ca -batch -notext -config ca-inter/ca.cnf -extensions server \
  -md sha1 -startdate "$days_valid_from" -enddate "$days_valid_to" -in weak.csr -out weak.pem 2>/dev/null
rm -f weak.csr
# An ECDSA (P-256) backend leaf: a client offering RSA signatures only
# cannot verify it.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ecbackend.key 2>/dev/null
openssl req -new -key ecbackend.key -subj "/O=Apigee HS Lab/CN=backend.example.test" -out ecbackend.csr
SAN=DNS:backend.example.test openssl ca -batch -notext -config ca-inter/ca.cnf -extensions server \
  -startdate "$days_valid_from" -enddate "$days_valid_to" -in ecbackend.csr -out ecbackend.pem 2>/dev/null
rm -f ecbackend.csr
# A private CA that signs server certificates directly (no intermediate), as
# many internal backends have: one under the lab root, one under the other.
sign root direct backend.example.test server DNS:backend.example.test
sign otherroot otherdirect backend.example.test server DNS:backend.example.test
sign inter client app-client client DNS:app-client
sign inter2 rogueclient rogue-client client DNS:rogue-client
sign inter clientexpired app-client client DNS:app-client 20200101000000Z 20210101000000Z
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout selfsigned.key -subj "/CN=backend.example.test" \
  -addext 'subjectAltName=DNS:backend.example.test' -days 365 -out selfsigned.pem 2>/dev/null

# Chains as servers send them (leaf first).
cat backend.pem inter.pem >backend-chain.pem
cat ecbackend.pem inter.pem >ecbackend-chain.pem
cat router.pem inter.pem >router-chain.pem
cat wronghost.pem inter.pem >wronghost-chain.pem
cat expired.pem inter.pem >expired-chain.pem
cat shortlived.pem inter.pem >shortlived-chain.pem
cat future.pem inter.pem >future-chain.pem
cat backend.pem inter2.pem >backend-wrong-inter.pem
cat client.pem inter.pem >client-chain.pem
cat rogueclient.pem inter2.pem >rogueclient-chain.pem
cat clientexpired.pem inter.pem >clientexpired-chain.pem
# A 1024-bit DHE group, as old backends still configure (-dhparam).
openssl dhparam -out dh1024.pem 1024 2>/dev/null

# Java stores: the MP's truststore holds the lab root; keystores hold client identities.
keytool -importcert -noprompt -alias root -file root.pem -keystore trust.p12 \
  -storetype PKCS12 -storepass changeit >/dev/null
openssl pkcs12 -export -in client-chain.pem -inkey client.key -name client \
  -out client.p12 -passout pass:changeit
openssl pkcs12 -export -in clientexpired-chain.pem -inkey clientexpired.key -name client \
  -out client-expired.p12 -passout pass:changeit
openssl pkcs12 -export -in expired-chain.pem -inkey expired.key -name server \
  -out expired-server.p12 -passout pass:changeit
openssl pkcs12 -export -in backend-chain.pem -inkey backend.key -name server \
  -out backend-server.p12 -passout pass:changeit
chmod a+r ./*
