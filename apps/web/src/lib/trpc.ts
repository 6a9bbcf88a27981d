// The client package's TanStack Query context (@deltacrown/client/react-query), as the README tells
// any React app to use it: the web app is its first user, so its browser tests exercise that export.
export { TRPCProvider, useTRPC, useTRPCClient } from "@deltacrown/client/react-query";
