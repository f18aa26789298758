/** Path segment encoding belongs to the wire contract; server code may import it from here. */
export * from "@/lib/contract/segment";
