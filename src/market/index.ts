/** What other modules may use of the market (standards, solutions, conformance, demand bundling). */
export {};
