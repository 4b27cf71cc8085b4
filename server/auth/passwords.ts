import bcrypt from "bcryptjs";

const COST = 11;

export const hashPassword = (plain: string) => bcrypt.hash(plain, COST);
export const verifyPassword = (plain: string, hash: string) => bcrypt.compare(plain, hash);

// Compared against when the email is unknown, so a miss costs the same time as a wrong password.
export const DUMMY_HASH = bcrypt.hashSync("timing-equaliser-not-a-password", COST);
