// The client package's TanStack Query helpers: one React context typed against the router.
export { TRPCProvider, useSubscription, useTRPC, useTRPCClient } from "@deltacrown/client/react-query";
