import { ChangePasswordForm } from "@/components/change-password-form";

export default function AccountPage() {
  return (
    <div>
      <h1>Account</h1>
      <section className="card" aria-labelledby="password">
        <h2 id="password">Password</h2>
        <p className="muted">Changing your password logs you out everywhere, this browser included.</p>
        <ChangePasswordForm />
      </section>
    </div>
  );
}
