/** Stream id arithmetic lives in the contract (the browser validates ids too); server code may import it from here. */
export * from "@/lib/contract/ids";
