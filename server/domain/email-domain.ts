// Whether an email's domain is on an allow-list (OIDC_ALLOWED_EMAIL_DOMAINS): exact domains, no subdomains.

/** The part after the last @, lower case. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** True when there is no list, or the email's domain is on it exactly (lab.example.com is not example.com). */
export function isEmailDomainAllowed(email: string, allowed: readonly string[] | null): boolean {
  return allowed === null || (email.includes('@') && allowed.includes(emailDomain(email)));
}
