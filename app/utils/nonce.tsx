// The Content-Security-Policy nonce of the response being rendered. Only the server knows it; in the
// browser it is empty, and browsers hide the nonce attribute from scripts anyway.
import { createContext, useContext } from "react";

const NonceContext = createContext<string | undefined>(undefined);
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
