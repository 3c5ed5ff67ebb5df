import type { Role } from '../params';
import type { Mask } from './transform';

export type Roles = Readonly<Record<string, Role>>;

/**
 * Parameters that take weight decay and a trust ratio in LAMB and LARS: all but rank-0/1 tensors
 * and those with role 'bias' or 'norm' (biases, norm γ/β). With `exclude` false: all.
 */
export function adaptableMask(exclude: boolean, roles?: Roles): Mask {
  if (!exclude) return () => true;
  return (name, param) => param.rank >= 2 && roles?.[name] !== 'bias' && roles?.[name] !== 'norm';
}

/** Hidden matrices for Muon: rank ≥ 2 and, when roles are known, role 'kernel'. */
export function hiddenMatrixMask(roles?: Roles): Mask {
  return (name, param) => param.rank >= 2 && (roles === undefined || roles[name] === 'kernel');
}
