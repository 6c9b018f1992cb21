-- The peer in bench/run.sh: a minimal Lua post-dissector that reads eight of
-- the fields the plugin reads, on every frame, and does nothing with them.
-- What any post-dissector written in Lua pays before it diagnoses anything.
local fields = {
    Field.new("tcp.stream"), Field.new("tcp.flags"), Field.new("tcp.len"),
    Field.new("tls.record.content_type"), Field.new("tls.record.version"),
    Field.new("tls.handshake.type"), Field.new("tls.handshake.ciphersuite"),
    Field.new("tls.alert_message.desc"),
}
local peer = Proto("apg_peer", "Benchmark peer post-dissector")
local seen = 0
function peer.dissector(tvb, pinfo, tree)
    for _, f in ipairs(fields) do
        local values = { f() }
        seen = seen + #values
    end
end
register_postdissector(peer)
