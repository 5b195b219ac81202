// dynalite ships no type declarations; this covers the part we call.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteServerOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  export default function dynalite(options?: DynaliteServerOptions): Server;
}
