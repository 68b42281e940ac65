import { RouteTable } from './route-table';

describe('RouteTable', () => {
  const routes = new RouteTable();
  routes.add('GET', '/api/v1/users/:id');
  routes.add('PATCH', '/api/v1/users/:id');
  routes.add('HEAD', '/api/v1/users/:id');
  routes.add('GET', '/docs/*');
  routes.add('POST', '/api/v1/auth/login');
  routes.add('OPTIONS', '*');

  it('lists the methods a path answers to, in one order, HEAD wherever GET is', () => {
    expect(routes.allowedMethods('/api/v1/users/42?x=1')).toEqual(['GET', 'HEAD', 'PATCH']);
    expect(routes.allowedMethods('/api/v1/auth/login')).toEqual(['POST']);
    expect(routes.allowedMethods('/docs/swagger-ui.css')).toEqual(['GET', 'HEAD']);
    expect(routes.allowedMethods('/api/v1/nothing')).toEqual([]);
  });

  it('does not match a path with a trailing slash', () => {
    expect(routes.allowedMethods('/api/v1/auth/login/')).toEqual([]);
  });

  it('tells whether the framework matched a route', () => {
    expect(routes.matched({ routeOptions: { url: '/health' } })).toBe(true);
    expect(routes.matched({ routeOptions: {} })).toBe(false);
    expect(
      routes.matched({ method: 'GET', route: { path: '/health', methods: { get: true } } }),
    ).toBe(true);
    expect(
      routes.matched({ method: 'HEAD', route: { path: '/health', methods: { get: true } } }),
    ).toBe(true);
    // Express keeps a POST route on a HEAD request it found no handler for.
    expect(
      routes.matched({ method: 'HEAD', route: { path: '/login', methods: { post: true } } }),
    ).toBe(false);
    expect(routes.matched({ method: 'GET', route: { path: '{/*splat}', methods: {} } })).toBe(
      false,
    );
    expect(routes.matched({})).toBe(false);
  });
});
