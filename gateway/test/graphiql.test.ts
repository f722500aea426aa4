import { createOfflineGraphiQLRenderer } from '@tributary/gateway';
import { describe, expect, it } from 'vitest';

describe('createOfflineGraphiQLRenderer', () => {
  it('renders a page that carries GraphiQL itself (no CDN) and renders it once per options', async () => {
    const render = createOfflineGraphiQLRenderer();
    const page = render({ title: 'Tributary' });
    expect(render({ title: 'Tributary' })).toBe(page);
    const html = await page;
    expect(html).toContain('<title>Tributary</title>');
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL(');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']?https?:/);
    expect(html).not.toContain('unpkg.com');
    expect(html.length).toBeGreaterThan(5_000_000);
    const other = render({ title: 'Other' });
    expect(other).not.toBe(page);
    expect(await other).toContain('<title>Other</title>');
  });
});
