import { Injectable } from '@nestjs/common';

interface Route {
  method: string;
  pattern: RegExp;
}

/** `Allow` lists methods in this order, the same on every stack. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The registered routes, filled in by the HTTP adapter as they are added, so that a
 * request for a known path with another method answers 405 with `Allow`, not 404.
 */
@Injectable()
export class RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, path: string): void {
    const pattern = path
      .split('/')
      .map((segment) =>
        segment.startsWith(':')
          ? '[^/]+'
          : segment === '*'
            ? '.*'
            : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    // No optional trailing slash: `/items/` is not `/items` (see front-door.ts).
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${pattern}$`) });
  }

  allowedMethods(url: string): string[] {
    const path = url.split('?')[0];
    const methods = new Set(
      this.routes.filter((route) => route.pattern.test(path)).map((route) => route.method),
    );
    // Both adapters answer HEAD wherever GET is; Express registers no HEAD routes to say so.
    if (methods.has('GET')) methods.add('HEAD');
    return METHOD_ORDER.filter((method) => methods.has(method));
  }

  /**
   * Whether the framework matched a real route for this request. Fastify leaves
   * `routeOptions.url` unset for unknown routes; on Express, Nest's not-found handler is
   * itself a catch-all route (`{/*splat}`), and a HEAD request keeps the route of its path
   * that Express tried for a GET handler, whatever methods that route has.
   */
  matched(request: object): boolean {
    const fastifyRoute = (request as { routeOptions?: { url?: string } }).routeOptions;
    if (fastifyRoute !== undefined) return fastifyRoute.url !== undefined;
    const { route, method = '' } = request as {
      route?: { path?: unknown; methods?: Record<string, boolean> };
      method?: string;
    };
    if (typeof route?.path !== 'string' || route.path.includes('*')) return false;
    const verb = method.toLowerCase();
    return route.methods?.[verb] === true || (verb === 'head' && route.methods?.get === true);
  }
}
