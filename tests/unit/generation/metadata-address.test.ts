// Cloud metadata addresses are refused in every spelling; the admin's own network (loopback, private ranges) is not.
import { describe, expect, it } from 'vitest';
import { addressBlocker, isBlockedAddress } from '../../../server/domain/generation/metadata-address';
import { parseRetryAfter, retryDelayMs } from '../../../server/domain/generation/retry-delay';

describe('isBlockedAddress', () => {
  it('refuses metadata services and link-local addresses, however written', () => {
    for (const ip of [
      '169.254.169.254',
      '169.254.170.2',
      '100.100.100.200',
      '0.0.0.0',
      '::ffff:169.254.169.254',
      '[::ffff:169.254.169.254]',
      '::ffff:a9fe:a9fe',
      '0:0:0:0:0:ffff:a9fe:a9fe',
      '::169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      'fd00:ec2::254',
      'fe80::1',
      'fe80::1%eth0',
      '::',
      'not-an-ip',
    ]) {
      expect(isBlockedAddress(ip), ip).toBe(true);
    }
  });

  it('lets the admin reach their own network', () => {
    for (const ip of ['127.0.0.1', '::1', '10.0.0.7', '192.168.1.20', '172.16.0.5', '8.8.8.8', '::ffff:127.0.0.1', 'fd00:ec2::253', '2001:db8::1', '100.100.100.201']) {
      expect(isBlockedAddress(ip), ip).toBe(false);
    }
  });

  it('extra ranges (for tests) are refused in mapped spellings too', () => {
    const blocked = addressBlocker(['127.0.0.2/32']);
    expect(blocked('127.0.0.2')).toBe(true);
    expect(blocked('::ffff:127.0.0.2')).toBe(true);
    expect(blocked('127.0.0.1')).toBe(false);
  });
});

describe('retry delays', () => {
  it('grow exponentially with jitter in [ceiling/2, ceiling], and Retry-After wins', () => {
    expect(retryDelayMs(1, 1000, 0, null)).toBe(500);
    expect(retryDelayMs(1, 1000, 1, null)).toBe(1000);
    expect(retryDelayMs(4, 1000, 0.5, null)).toBe(6000);
    expect(retryDelayMs(30, 1000, 1, null)).toBe(600_000);
    expect(retryDelayMs(3, 1000, 0.5, 2500)).toBe(2500);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
