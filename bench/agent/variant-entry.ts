// The agent with mqtt-packet's number cache off, for the explain pass.
// mqtt-packet makes 65,536 two-byte Buffers (one per packet id) the first
// time it writes a packet, unless told not to; mqtt.js turns it off with
// its `writeCache: false` client option, which sets this same switch.
// mqtt-packet is mqtt's own dependency, bundled once, so the switch set
// here is the one the agent's client uses.
import mqttPacket from 'mqtt-packet';

mqttPacket.writeToStream.cacheNumbers = false;
await import('../../agent/main.js');
